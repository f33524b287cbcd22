using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Hive.Mobile.Tests.Contract;

/// <summary>
/// What every checked-in OpenAPI document must say (the staleness test keeps them equal to the live ones, so
/// these hold for what the services publish): a summary on each operation, a ProblemDetails answer for bad
/// input wherever an operation takes input, ProblemDetails for every error answer (a 400 with the errors
/// shape), an example on each main schema, and every example valid against its schema.
/// </summary>
public sealed class OpenApiDocumentQualityTests
{
    private const string ProblemJson = "application/problem+json";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public static TheoryData<string> Services => new() { "catalog", "search", "media", "identity", "metrics" };

    /// <summary>The schemas a client developer reads first: what the main operations take and answer.</summary>
    public static TheoryData<string, string> MainSchemas => new()
    {
        { "catalog", "ProductDetail" },
        { "catalog", "ProductCard" },
        { "catalog", "ProductPage" },
        { "catalog", "ProductInput" },
        { "catalog", "TrendingProduct" },
        { "catalog", "CategoryCount" },
        { "catalog", "OrderInput" },
        { "catalog", "Order" },
        { "catalog", "OrderPage" },
        { "catalog", "ProblemDetails" },
        { "catalog", "HttpValidationProblemDetails" },
        { "search", "SearchResponse" },
        { "search", "AutocompleteResponse" },
        { "search", "PopularSearches" },
        { "search", "HttpValidationProblemDetails" },
        { "media", "VariantSet" },
        { "media", "NamedVariant" },
        { "media", "ResponsiveSet" },
        { "media", "ImageAnswer" },
        { "media", "HttpValidationProblemDetails" },
        { "identity", "TokenRequest" },
        { "identity", "TokenResponse" },
        { "identity", "TokenError" },
        { "identity", "RegisterInput" },
        { "identity", "Account" },
        { "identity", "HttpValidationProblemDetails" },
        { "metrics", "HttpValidationProblemDetails" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public void EveryOperationSaysInASummaryWhatAClientGets(string service)
    {
        var missing = Operations(service)
            .Where(o => !o.Body.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            .Select(o => o.Name)
            .ToList();

        Assert.True(missing.Count == 0, $"{service}: operations without a summary (add .WithSummary(...)):\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EveryOperationThatTakesInputDeclaresTheProblemItAnswersBadInputWith(string service)
    {
        var missing = Operations(service)
            .Where(o => o.Body.TryGetProperty("parameters", out _) || o.Body.TryGetProperty("requestBody", out _))
            .Where(o => !ErrorAnswers(o).Any(e => e.Status is >= 400 and < 500))
            .Select(o => o.Name)
            .ToList();

        Assert.True(missing.Count == 0, $"{service}: operations with parameters or a body but no 4xx answer declared:\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EveryErrorAnswerIsAProblemDetailsAndEvery400NamesTheFields(string service)
    {
        var problems = new List<string>();
        foreach (var operation in Operations(service))
        {
            foreach (var (status, response) in ErrorAnswers(operation))
            {
                // RFC 6749 fixes the token endpoint's own errors: error and error_description, as JSON.
                if (IsOAuthProtocol(operation) && SchemaOf(response, "application/json") is { ValueKind: JsonValueKind.Object } oauth
                    && oauth.TryGetProperty("$ref", out var shape) && shape.GetString()!.EndsWith("/TokenError", StringComparison.Ordinal))
                {
                    continue;
                }

                var schema = SchemaOf(response, ProblemJson);
                var reference = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r) ? r.GetString() : null;
                var expected = status == 400 ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails";
                if (reference != expected && !(status != 400 && reference == "#/components/schemas/HttpValidationProblemDetails"))
                {
                    problems.Add($"{operation.Name} {status}: {ProblemJson} with {expected} expected, found {(reference ?? "none")}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{service}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(MainSchemas))]
    public void EveryMainSchemaShowsAnExample(string service, string schemaName)
    {
        var schemas = Schemas(service);

        Assert.True(schemas.TryGetProperty(schemaName, out var schema), $"{service} publishes no schema {schemaName}.");
        Assert.True(schema.TryGetProperty("example", out _), $"{service}'s {schemaName} has no example (add one with options.AddExample(...)).");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EveryExampleIsValidAgainstItsSchema(string service)
    {
        var examples = new List<(string Where, JsonElement Schema, JsonElement Example)>();
        foreach (var schema in Schemas(service).EnumerateObject().Where(s => s.Value.TryGetProperty("example", out _)))
        {
            examples.Add(($"schema {schema.Name}", schema.Value, schema.Value.GetProperty("example")));
        }

        foreach (var operation in Operations(service))
        {
            var contents = new List<(string Where, JsonElement Content)>();
            if (operation.Body.TryGetProperty("requestBody", out var body))
            {
                contents.Add(($"{operation.Name} request", body.GetProperty("content")));
            }

            foreach (var response in operation.Body.GetProperty("responses").EnumerateObject().Where(r => r.Value.TryGetProperty("content", out _)))
            {
                contents.Add(($"{operation.Name} {response.Name}", response.Value.GetProperty("content")));
            }

            foreach (var (where, content) in contents)
            {
                foreach (var media in content.EnumerateObject().Where(m => m.Value.TryGetProperty("example", out _) && m.Value.TryGetProperty("schema", out _)))
                {
                    examples.Add(($"{where} {media.Name}", media.Value.GetProperty("schema"), media.Value.GetProperty("example")));
                }
            }
        }

        var definitions = JsonNode.Parse(Schemas(service).GetRawText()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!;
        var invalid = new List<string>();
        foreach (var (where, schema, example) in examples)
        {
            var result = Validator(schema, definitions).Evaluate(example, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(d => d.Errors is not null)
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
                invalid.Add($"{where}: {string.Join("; ", errors)}");
            }
        }

        Assert.NotEmpty(examples);
        Assert.True(invalid.Count == 0, $"{service}: examples that do not fit their schema:\n" + string.Join("\n", invalid));
    }

    /// <summary>The schema with the document's component schemas as $defs, so its $refs resolve.</summary>
    private static JsonSchema Validator(JsonElement schema, JsonNode definitions)
    {
        var root = JsonNode.Parse(schema.GetRawText().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions.DeepClone();
        var options = new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(root.ToJsonString(), options, new Uri($"https://hive.test/openapi/{Guid.NewGuid():N}"));
    }

    private sealed record DocumentOperation(string Path, string Method, JsonElement Body)
    {
        public string Name => $"{Method.ToUpperInvariant()} {Path}";
    }

    private static IEnumerable<DocumentOperation> Operations(string service)
        => OpenApiDocuments.Load(service).GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(method => Methods.Contains(method.Name, StringComparer.Ordinal))
                .Select(method => new DocumentOperation(path.Name, method.Name, method.Value)));

    private static IEnumerable<(int Status, JsonElement Response)> ErrorAnswers(DocumentOperation operation)
        => operation.Body.GetProperty("responses").EnumerateObject()
            .Where(r => int.TryParse(r.Name, out var status) && status >= 400)
            .Select(r => (int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture), r.Value));

    private static JsonElement SchemaOf(JsonElement response, string contentType)
        => response.TryGetProperty("content", out var content) && content.TryGetProperty(contentType, out var media) && media.TryGetProperty("schema", out var schema)
            ? schema
            : default;

    private static bool IsOAuthProtocol(DocumentOperation operation) => operation.Path.StartsWith("/connect/", StringComparison.Ordinal);

    private static JsonElement Schemas(string service) => OpenApiDocuments.Load(service).GetProperty("components").GetProperty("schemas");
}
