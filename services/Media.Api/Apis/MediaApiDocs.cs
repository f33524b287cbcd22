using Hive.ServiceDefaults;
using Media.Api.Delivery;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Media.Api.Apis;

/// <summary>
/// What media's OpenAPI document says beyond the handlers' signatures: the multipart body of uploads and
/// the query of signed renderings (both read by hand, not bound), image answers, and examples of one
/// product picture built from the real records (the document test validates them against their schemas).
/// </summary>
internal static class MediaApiDocs
{
    private const string Signed = "v=1&w=640&h=640&sig=c2lnbmVkLWJ5LW1lZGlh";
    private static readonly string[] ImageTypes = ["image/avif", "image/webp", "image/jpeg", "image/png"];

    private static readonly PlaceholderAnswer Placeholder = new(
        "1QcSHQRnh493V4dIh4eXh1h4kJUI", "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==");

    private static readonly VariantAnswer Small = new("small", 320, 320, $"/api/media/images/7?v=1&w=320&h=320&sig=c2lnbmVkLWJ5LW1lZGlh",
        [new VariantFormat("avif", "/api/media/images/7?v=1&w=320&h=320&format=avif&sig=YXZpZi1zaWduZWQtdXJs", 9184), new VariantFormat("webp", "/api/media/images/7?v=1&w=320&h=320&format=webp&sig=d2VicC1zaWduZWQtdXJs", null)]);

    public static void Add(OpenApiOptions options)
    {
        options.AddExample(new NamedVariant("small", 320));
        options.AddExample(Placeholder);
        options.AddExample(Small);
        options.AddExample(Small.Formats[0]);
        options.AddExample(new VariantSet(7, 42, 1, 1600, 1200, Placeholder, [Small]));
        options.AddExample(new ResponsiveSet($"/api/media/images/7?{Signed}",
            "/api/media/images/7?v=1&w=320&h=320&sig=c2lnbmVkLWJ5LW1lZGlh 320w, /api/media/images/7?v=1&w=640&h=640&sig=c2lnbmVkLWJ5LW1lZGlh 640w",
            "(max-width: 768px) 100vw, 50vw", [320, 640], 1, Placeholder.ThumbHash));
        options.AddExample(new ImageAnswer(7, 42, 1, 1600, 1200, "image/jpeg", Placeholder.ThumbHash, Placeholder.BlurHash,
            "/api/media/images/7?v=1&w=320&h=320&sig=c2lnbmVkLWJ5LW1lZGlh", "/api/media/images/7/variants"));
        options.AddOperationTransformer((operation, context, _) =>
        {
            switch (operation.OperationId)
            {
                case "UploadProductImage":
                    operation.RequestBody = UploadBody(withAltText: true);
                    break;
                case "ReplaceProductImage":
                    operation.RequestBody = UploadBody(withAltText: false);
                    break;
                case "GetImageRendering":
                    AddRenderingQuery(operation);
                    break;
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Uploads answer 413 and 415 (a refused transfer) beside 400 (a field to fix).</summary>
    public static RouteHandlerBuilder WithUploadProblems(this RouteHandlerBuilder builder)
        => builder
            .ProducesValidationProblem()
            .WithValidationExample("file", "The form has no (or an empty) part named 'file'.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithProblemExample(StatusCodes.Status413PayloadTooLarge, "Too large", "The picture is larger than 20 MiB.")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithProblemExample(StatusCodes.Status415UnsupportedMediaType, "Not an accepted picture",
                "The file is not a JPEG, PNG, WebP or AVIF picture (judged from its first bytes, not its name).",
                "The body is not multipart/form-data, or 'file' is no JPEG, PNG, WebP or AVIF picture.");

    /// <summary>A rendering: the picture's bytes in the negotiated format, or 304; 503 when the render queue is full.</summary>
    public static RouteHandlerBuilder WithImageAnswers(this RouteHandlerBuilder builder)
        => builder
            .Produces(StatusCodes.Status200OK, typeof(Stream), ImageTypes[0], ImageTypes[1..])
            .Produces(StatusCodes.Status304NotModified)
            .WithProblemExample(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many renderings are waiting; try again in a few seconds.",
                "The render queue is full, or Postgres is not answering; Retry-After says when to try again.");

    private static OpenApiRequestBody UploadBody(bool withAltText)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "file" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The picture: JPEG, PNG, WebP or AVIF, at most 20 MiB." },
            },
        };
        if (withAltText)
        {
            schema.Properties["altText"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 300, Description = "What the picture shows, for screen readers." };
        }

        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
        };
    }

    /// <summary>The parameters of a signed rendering URL; clients take them from /variants or /responsive rather than composing them.</summary>
    private static void AddRenderingQuery(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        foreach (var (name, description, type) in new[]
                 {
                     ("w", "Width in pixels.", JsonSchemaType.Integer),
                     ("h", "Height in pixels.", JsonSchemaType.Integer),
                     ("q", "Quality, 1 to 100, or auto.", JsonSchemaType.String),
                     ("format", "auto (from Accept), avif, webp, jpeg or png.", JsonSchemaType.String),
                     ("fit", "cover, contain, fill or inside.", JsonSchemaType.String),
                     ("gravity", "face, attention, centre or a compass point.", JsonSchemaType.String),
                     ("v", "The image version; with it the answer is immutable.", JsonSchemaType.Integer),
                     ("sig", "media's signature over the other parameters.", JsonSchemaType.String),
                 })
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = name == "sig",
                Description = description,
                Schema = new OpenApiSchema { Type = type },
            });
        }
    }
}
