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
    /// <paramref name="configureConnection"/> adds what one service needs on top (search's plan setting).
    /// </summary>
    public static TBuilder AddHiveDatabase<TBuilder>(this TBuilder builder, string connectionName, Action<Npgsql.NpgsqlConnectionStringBuilder>? configureConnection = null)
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
            ApplyPooling(dataSource.ConnectionStringBuilder);
            configureConnection?.Invoke(dataSource.ConnectionStringBuilder);
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

    /// <summary>
    /// How every Hive service pools its connections. No reset when a connection goes back to the pool (a
    /// <c>DISCARD ALL</c> round trip per use, measured at four per product update; Hive keeps no session state:
    /// its only <c>set_config</c> is transaction-local), and statements used twice on a connection are prepared
    /// there, so Postgres stops parsing and planning the same few statements on every request. After five
    /// executions Postgres may keep one generic plan for any values: a service whose plans depend on the values
    /// (search's text queries) asks for custom plans through <c>AddHiveDatabase</c>'s <c>configureConnection</c>.
    /// </summary>
    public static void ApplyPooling(Npgsql.NpgsqlConnectionStringBuilder connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        connectionString.NoResetOnClose = true;
        connectionString.MaxAutoPrepare = 64;
        connectionString.AutoPrepareMinUsages = 2;
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
