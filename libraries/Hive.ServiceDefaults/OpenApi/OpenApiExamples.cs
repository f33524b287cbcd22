using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;

namespace Hive.ServiceDefaults;

/// <summary>Examples in the OpenAPI documents, made from real instances so they have the wire shape by construction.</summary>
public static class OpenApiExamples
{
    /// <summary>
    /// Shows <paramref name="example"/>, serialized with the service's own JSON options, as the example of
    /// <typeparamref name="T"/>'s schema: every request body, response and property of that type shows it.
    /// </summary>
    public static OpenApiOptions AddExample<T>(this OpenApiOptions options, T example)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(T))
            {
                schema.Example = JsonSerializer.SerializeToNode(example, context.JsonTypeInfo.Options);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The example of this operation's <paramref name="status"/> ProblemDetails answer, where the fleet's
    /// generic one (see <c>ProblemResponses</c>) would not say what really happens (a 409's own title and
    /// detail, or null where the answer has none); <paramref name="description"/> replaces the generic "when" where the cause differs too.
    /// </summary>
    public static TBuilder WithProblemExample<TBuilder>(this TBuilder builder, int status, string title, string? detail, string? description = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new ProblemExample(status, title, detail, description));
    }

    /// <summary>The example of this operation's 400: <paramref name="field"/> with the message the operation really gives it.</summary>
    /// <summary>Declares the operation's 404 ProblemDetails answer with the fleet's title and this <paramref name="detail"/>.</summary>
    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder builder, string detail)
        => builder.ProducesProblem(StatusCodes.Status404NotFound)
            .WithProblemExample(StatusCodes.Status404NotFound, "Not found", detail);

    public static TBuilder WithValidationExample<TBuilder>(this TBuilder builder, string field, string message)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new ValidationExample(field, message));
    }
}

/// <summary>Endpoint metadata: a field of this operation's 400 answer and its message.</summary>
public sealed record ValidationExample(string Field, string Message);

/// <summary>Endpoint metadata: the title and detail an operation's <see cref="Status"/> answer really carries, and when.</summary>
public sealed record ProblemExample(int Status, string Title, string? Detail, string? Description);
