using Hive.ServiceDefaults;
using Hive.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The OpenAPI document every service publishes at <c>/openapi/v1.json</c> (checked in under docs/openapi/):
/// the framework's document plus what the fleet shares, so a client reads one error shape everywhere: each
/// ProblemDetails answer says when it happens and shows an example, and the two problem schemas carry one.
/// </summary>
public static class OpenApiExtensions
{
    public static IServiceCollection AddHiveOpenApi(this IServiceCollection services, Action<OpenApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddOpenApi(options =>
        {
            options.AddExample(ProblemResponses.Example(StatusCodes.Status404NotFound));
            options.AddExample(ValidationErrorExample);
            configure?.Invoke(options);
            // Last, so it sees the operation as the service's own transformers left it (a request body they describe).
            options.AddOperationTransformer(ProblemResponses.TransformAsync);
        });
    }

    /// <summary>A validation answer as <see cref="ValidationErrors"/> writes it (the pipeline adds <c>traceId</c>).</summary>
    private static HttpValidationProblemDetails ValidationErrorExample
        => ProblemResponses.WithTrace(new ValidationErrors().Add("pageSize", "pageSize must be between 1 and 100.").ToProblemDetails());
}
