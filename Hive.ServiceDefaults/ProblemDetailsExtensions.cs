using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every error a Hive service returns is an RFC 9457 ProblemDetails: unhandled exceptions, bad requests
/// the framework rejects (malformed JSON, bad route values) and bare status codes such as 404.
/// </summary>
public static partial class ProblemDetailsExtensions
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

        // Minimal APIs only describe a bad body or parameter when they throw; the handler turns that into a 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddTransient<IStartupFilter, ProblemDetailsStartupFilter>();
        return builder;
    }

    private sealed class ProblemDetailsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            next(app);
        };
    }

    /// <summary>
    /// Turns the framework's <see cref="BadHttpRequestException"/> into a 4xx naming what was wrong. Outside
    /// Development the detail names the parameter or JSON path but no .NET type (the framework's messages
    /// say "Failed to bind parameter \"int? limit\"" and "could not be converted to System.Decimal").
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails, IHostEnvironment environment) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            httpContext.Response.StatusCode = badRequest.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = badRequest.StatusCode,
                    Title = "The request is not valid.",
                    Detail = environment.IsDevelopment() ? DeveloperDetail(badRequest) : PublicDetail(badRequest),
                },
            });
        }

        private static string DeveloperDetail(BadHttpRequestException badRequest)
            => badRequest.InnerException is { } inner ? $"{badRequest.Message} {inner.Message}" : badRequest.Message;

        private static string PublicDetail(BadHttpRequestException badRequest)
        {
            var message = ParameterWithType().Replace(badRequest.Message, "parameter \"$1\"");
            return badRequest.InnerException switch
            {
                JsonException { Path: { Length: > 0 } path } => $"{message} The value of {path} is not of the expected kind.",
                JsonException json => $"{message} The body is not valid JSON (line {json.LineNumber}, byte {json.BytePositionInLine}).",
                _ => message,
            };
        }
    }

    // "parameter \"int? limit\"" → "parameter \"limit\"": the name helps a client, the .NET type does not.
    [GeneratedRegex(@"parameter ""(?:[^""\s]+\s+)+(\w+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterWithType();
}
