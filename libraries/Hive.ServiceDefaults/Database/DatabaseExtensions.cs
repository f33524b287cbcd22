using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseExtensions
{
    /// <summary>
    /// The Npgsql data source for <paramref name="connectionName"/> with bounded connects and commands, plus
    /// <see cref="DatabaseGuard"/> (the circuit breaker) and the 503 answer for database failures.
    /// </summary>
    public static TBuilder AddHiveDatabase<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var settings = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            dataSource.ConnectionStringBuilder.CommandTimeout = settings.CommandTimeoutSeconds;
            dataSource.ConnectionStringBuilder.Timeout = settings.ConnectTimeoutSeconds;
            // A hung server does not answer the cancel request either: break the connection at once.
            dataSource.ConnectionStringBuilder.CancellationTimeout = -1;
        });

        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatabaseGuard>();
        builder.Services.AddExceptionHandler<DatabaseExceptionHandler>();
        builder.Services.AddSingleton<DatabaseExceptionHandler>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IDeveloperPageExceptionFilter, DatabaseDeveloperPageFilter>());
        builder.Services.AddHostedService<DatabaseProbe>();
        builder.Services.AddTransient<IStartupFilter, DatabaseSuccessStartupFilter>();
        return builder;
    }

    /// <summary>Counts requests that used the database and did not fail as successes, so a half-open breaker closes.</summary>
    private sealed class DatabaseSuccessStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var guard = app.ApplicationServices.GetRequiredService<DatabaseGuard>();
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                if (context.Response.StatusCode < 500)
                {
                    await guard.ReportSuccessIfUsedAsync(context);
                }
            });
            next(app);
        };
    }
}
