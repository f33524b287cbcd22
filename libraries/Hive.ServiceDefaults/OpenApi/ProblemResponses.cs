using System.Globalization;
using System.Text.Json;
using Hive.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hive.ServiceDefaults.OpenApi;

/// <summary>
/// Every ProblemDetails answer an operation declares gets a description of when it happens and an example
/// with the title and detail the fleet really writes: the shared ones (401 and 403 from the bearer handler,
/// 429 from the gateway, 503 from the database and cache guards) here, an operation's own through
/// <see cref="OpenApiExamples.WithProblemExample"/>.
/// </summary>
internal static class ProblemResponses
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>A made-up W3C trace id: every problem carries the request's, so a report finds its trace.</summary>
    private const string ExampleTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private sealed record Known(string Description, string Title, string Detail, string? Type);

    // Titles and details as BearerProblems, RateLimitMiddleware and DatabaseExceptionHandler write them; the
    // types as ASP.NET Core's ProblemDetails defaults fill them in (the gateway's 429 names its own).
    private static readonly Dictionary<int, Known> Shared = new()
    {
        [StatusCodes.Status400BadRequest] = new(
            "The input is not valid: errors names each offending field (query, route, header or JSON property) with its messages.",
            ValidationErrors.Title, "pageSize: pageSize must be between 1 and 100.", "https://tools.ietf.org/html/rfc9110#section-15.5.1"),
        [StatusCodes.Status401Unauthorized] = new(
            "No valid bearer access token was sent; detail says what is wrong with it.",
            "Authentication is required.", "Send a bearer access token (Authorization: Bearer ...) from the Hive identity service.", "https://tools.ietf.org/html/rfc9110#section-15.5.2"),
        [StatusCodes.Status403Forbidden] = new(
            "The token is valid but does not carry the role (or business) this operation needs.",
            "Not allowed.", "Your token is valid but does not carry the role (or business) this operation needs.", "https://tools.ietf.org/html/rfc9110#section-15.5.4"),
        [StatusCodes.Status404NotFound] = new(
            "Nothing with this id exists, or it is not the caller's to see (its existence is not disclosed).",
            "Not found", "Nothing has id 42 here, or it is not yours to see.", "https://tools.ietf.org/html/rfc9110#section-15.5.5"),
        [StatusCodes.Status409Conflict] = new(
            "The request conflicts with the current state; title and detail say how.",
            "Conflict", "The request conflicts with the current state.", "https://tools.ietf.org/html/rfc9110#section-15.5.10"),
        [StatusCodes.Status413PayloadTooLarge] = new(
            "The body is larger than this operation accepts.",
            "Too large", "The request body is too large.", "https://tools.ietf.org/html/rfc9110#section-15.5.14"),
        [StatusCodes.Status415UnsupportedMediaType] = new(
            "The body is not of a media type this operation reads.",
            "Unsupported media type", "The body is not of a media type this operation reads.", "https://tools.ietf.org/html/rfc9110#section-15.5.16"),
        [StatusCodes.Status429TooManyRequests] = new(
            "The gateway's rate limit for this route is used up (every route has one); Retry-After and the RateLimit headers say when to come back.",
            "Too many requests.", "The 'default' limit of 600 requests per 60 s is used up. Retry after 12 s.", "https://iana.org/assignments/http-problem-types#quota-exceeded"),
        [StatusCodes.Status503ServiceUnavailable] = new(
            "A store the operation needs (Postgres or Redis) is not answering; Retry-After says when to try again.",
            "The database is not available.", "The database did not answer in time. Try again shortly.", "https://tools.ietf.org/html/rfc9110#section-15.6.4"),
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        SortByStatus(operation.Responses);
        var own = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemExample>().ToList();
        var options = context.ApplicationServices.GetJsonSerializerOptions();
        foreach (var (code, response) in operation.Responses)
        {
            if (response.Content is null || !response.Content.TryGetValue(ProblemJson, out var media)
                || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            var mine = own.Find(example => example.Status == status);
            if ((mine?.Description ?? (Shared.TryGetValue(status, out var known) ? known.Description : null)) is { } when
                && response is OpenApiResponse described)
            {
                described.Description = when;
            }

            var problem = mine is not null
                ? Example(status, mine.Title, mine.Detail)
                : status == StatusCodes.Status400BadRequest ? ValidationExample(operation, context) : Example(status);
            media.Example = JsonSerializer.SerializeToNode(problem, problem.GetType(), options);
        }

        return Task.CompletedTask;
    }

    /// <summary>Success first, then the problems in status order, however the endpoint and its groups declared them.</summary>
    private static void SortByStatus(OpenApiResponses responses)
    {
        var sorted = responses.OrderBy(response => response.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (code, response) in sorted)
        {
            responses.Add(code, response);
        }
    }

    /// <summary>The fleet's answer for <paramref name="status"/>, as the shared handlers write it.</summary>
    public static ProblemDetails Example(int status)
        => Shared.TryGetValue(status, out var known)
            ? Example(status, known.Title, known.Detail)
            : Example(status, "Error", "The request failed.");

    public static ProblemDetails Example(int status, string title, string? detail)
    {
        var problem = WithTrace(new ProblemDetails { Status = status, Title = title, Detail = detail });
        if (status == StatusCodes.Status429TooManyRequests)
        {
            problem.Extensions["violated-policies"] = new[] { "default" };
        }

        return problem;
    }

    public static T WithTrace<T>(T problem)
        where T : ProblemDetails
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Type ??= problem.Status is { } status && Shared.TryGetValue(status, out var known) ? known.Type : null;
        problem.Extensions["traceId"] = ExampleTraceId;
        return problem;
    }

    /// <summary>
    /// A 400 naming a field this operation really has: the one it declares (<see cref="OpenApiExamples.WithValidationExample"/>),
    /// else its first query or header parameter, else the body, with the message the binder gives a value it cannot read.
    /// </summary>
    private static HttpValidationProblemDetails ValidationExample(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ValidationExample>().FirstOrDefault() is { } declared)
        {
            return WithTrace(new ValidationErrors().Add(declared.Field, declared.Message).ToProblemDetails());
        }

        var parameter = operation.Parameters?.FirstOrDefault(p => p.In is ParameterLocation.Query or ParameterLocation.Header)
                        ?? operation.Parameters?.FirstOrDefault();
        var errors = new ValidationErrors();
        if (parameter?.Name is { } name && operation.RequestBody is null)
        {
            var number = parameter.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Integer);
            errors.Add(name, number ? $"{name} must be a whole number." : $"{name} is not valid.");
        }
        else if (operation.RequestBody is null)
        {
            errors.Add("request", "The request is not valid.");
        }
        else
        {
            errors.Add(BindingFailures.Body, "The body is not valid JSON (line 1, byte 1).");
        }

        return WithTrace(errors.ToProblemDetails());
    }
}
