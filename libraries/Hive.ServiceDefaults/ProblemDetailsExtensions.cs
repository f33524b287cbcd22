using System.Diagnostics;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every error a Hive service returns is an RFC 9457 ProblemDetails: unhandled exceptions, bad requests
/// the framework rejects (malformed JSON, bad query values) and bare status codes such as 404. Bad input
/// is a <see cref="ValidationErrors"/> answer naming each field, whoever found it.
/// </summary>
public static class ProblemDetailsExtensions
{
    public static TBuilder AddHiveProblemDetails<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions.TryAdd("traceId", traceId);
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddSingleton<BadRequestExceptionHandler>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, BadRequestDeveloperPageFilter>());

        // Minimal APIs only describe a bad body or parameter when they throw; the handler turns that into a 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>
    /// The ProblemDetails pipeline, first in every service's <c>Program.cs</c> so it wraps everything after
    /// it: exceptions (through the registered <see cref="IExceptionHandler"/>s), then bare status codes.
    /// In Development the developer page sits inside them, so it still sees an unhandled failure first.
    /// </summary>
    public static WebApplication UseHiveProblemDetails(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }

        return app;
    }

    /// <summary>
    /// Turns the framework's <see cref="BadHttpRequestException"/> into the validation answer naming the
    /// parameter or JSON property (see <see cref="BindingFailures"/>); other 4xx it raises (413, 415) stay
    /// plain problems. In Development the detail also carries the framework's own message.
    /// </summary>
    internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails, IHostEnvironment environment) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            var problem = BindingFailures.Describe(badRequest)?.ToProblemDetails()
                ?? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = badRequest.StatusCode, Detail = badRequest.Message };
            if (environment.IsDevelopment())
            {
                problem.Detail = badRequest.InnerException is { } inner ? $"{badRequest.Message} {inner.Message}" : badRequest.Message;
            }

            httpContext.Response.StatusCode = badRequest.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = problem,
            });
        }
    }

    /// <summary>In Development the developer page catches exceptions before any handler: bad input gets the same 400 there.</summary>
    private sealed class BadRequestDeveloperPageFilter(BadRequestExceptionHandler handler) : IDeveloperPageExceptionFilter
    {
        public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
        {
            if (!await handler.TryHandleAsync(errorContext.HttpContext, errorContext.Exception, errorContext.HttpContext.RequestAborted))
            {
                await next(errorContext);
            }
        }
    }
}
