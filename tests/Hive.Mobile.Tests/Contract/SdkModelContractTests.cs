using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hive.Mobile.Models;

namespace Hive.Mobile.Tests.Contract;

/// <summary>
/// The SDK's wire models against the services' checked-in OpenAPI documents (which a fleet test keeps equal
/// to the live ones). Each property the SDK reads must exist in the server's schema with a compatible type,
/// and may be non-nullable only where the server never sends null; each operation the SDK calls must exist and
/// answer with the schema the SDK expects. A property the SDK declares nullable may be missing (older servers):
/// the SDK reads it as null. So a server change that would break the client fails here.
/// </summary>
public sealed class SdkModelContractTests
{
    public static TheoryData<string, string, string> Models => new()
    {
        { "catalog", nameof(ProductDetail), "ProductDetail" },
        { "catalog", nameof(ProductImage), "ProductImage" },
        { "catalog", nameof(ProductCard), "ProductCard" },
        { "catalog", nameof(CardImage), "CardImage" },
        { "catalog", nameof(ProductPage), "ProductPage" },
        { "catalog", nameof(TrendingProduct), "TrendingProduct" },
        { "catalog", nameof(CategoryCount), "CategoryCount" },
        { "catalog", nameof(Order), "Order" },
        { "catalog", nameof(OrderPage), "OrderPage" },
        { "catalog", nameof(OrderLine), "OrderLine" },
        { "catalog", nameof(ProblemDetails), "HttpValidationProblemDetails" },
        { "search", nameof(SearchResponse), "SearchResponse" },
        { "search", nameof(SearchHit), "SearchHit" },
        { "search", nameof(SearchTotal), "SearchTotal" },
        { "search", nameof(SearchFacets), "SearchFacets" },
        { "search", nameof(CategoryFacet), "CategoryFacet" },
        { "search", nameof(PriceBucket), "PriceBucket" },
        { "search", nameof(AutocompleteResponse), "AutocompleteResponse" },
        { "search", nameof(Suggestion), "Suggestion" },
        { "media", nameof(ImageSize), "NamedVariant" },
        { "media", nameof(ImageVariants), "VariantSet" },
        { "media", nameof(ImagePlaceholder), "PlaceholderAnswer" },
        { "media", nameof(ImageVariant), "VariantAnswer" },
        { "media", nameof(ImageVariantFormat), "VariantFormat" },
    };

    /// <summary>
    /// Models that mirror their schema field for field: a field the server adds, drops or renames fails here,
    /// not only one the SDK reads (media's variant set is read whole, so nothing it sends may go unnoticed).
    /// </summary>
    public static TheoryData<string, string, string> ExactModels => new()
    {
        { "media", nameof(ImageSize), "NamedVariant" },
        { "media", nameof(ImageVariants), "VariantSet" },
        { "media", nameof(ImagePlaceholder), "PlaceholderAnswer" },
        { "media", nameof(ImageVariant), "VariantAnswer" },
        { "media", nameof(ImageVariantFormat), "VariantFormat" },
    };

    /// <summary>Models the SDK sends: every field the server requires must be there, with a type the server reads.</summary>
    public static TheoryData<string, string, string> SentModels => new()
    {
        { "catalog", nameof(OrderRequest), "OrderInput" },
        { "catalog", nameof(OrderLineRequest), "OrderLineInput" },
    };

    public static TheoryData<string, string, string, string> Operations => new()
    {
        { "catalog", "/api/catalog/categories", "get", "CategoryCount[]" },
        { "catalog", "/api/catalog/products", "get", "ProductPage" },
        { "catalog", "/api/catalog/products/{id}", "get", "ProductDetail" },
        { "catalog", "/api/catalog/products/by-slug/{slug}", "get", "ProductDetail" },
        { "catalog", "/api/catalog/products/featured", "get", "ProductCard[]" },
        { "catalog", "/api/catalog/products/trending", "get", "TrendingProduct[]" },
        { "catalog", "/api/catalog/products/{id}/related", "get", "ProductCard[]" },
        { "catalog", "/api/catalog/businesses/{businessId}/products", "get", "ProductPage" },
        { "catalog", "/api/catalog/orders", "post", "Order" },
        { "catalog", "/api/catalog/orders", "get", "OrderPage" },
        { "catalog", "/api/catalog/orders/{id}", "get", "Order" },
        { "search", "/api/search", "get", "SearchResponse" },
        { "search", "/api/search/autocomplete", "get", "AutocompleteResponse" },
        { "media", "/api/media/sizes", "get", "NamedVariant[]" },
        { "media", "/api/media/images/{imageId}/variants", "get", "VariantSet" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void EverySdkPropertyExistsInTheServersSchemaWithACompatibleType(string service, string sdkType, string schemaName)
    {
        var document = OpenApiDocuments.Load(service);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty(schemaName, out var schema), $"{service} publishes no schema {schemaName}.");
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var type = TypeInfo(sdkType);
        var nullability = new NullabilityInfoContext();
        var problems = new List<string>();

        foreach (var property in type.Properties)
        {
            var clr = property.AttributeProvider as PropertyInfo;
            var sdkNullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                              || (clr is not null && nullability.Create(clr).ReadState == NullabilityState.Nullable);
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(property.Name, out var wire))
            {
                if (!sdkNullable)
                {
                    problems.Add($"{property.Name}: the SDK needs it, {schemaName} has no such property");
                }

                continue;
            }

            var (resolved, serverNullable, reference) = Resolve(wire, schemas);
            if (serverNullable && !sdkNullable && !property.PropertyType.IsValueType)
            {
                problems.Add($"{property.Name}: the server may send null, the SDK's {property.PropertyType.Name} may not be null");
            }

            if (!Compatible(service, property.PropertyType, resolved, reference, schemas, out var why))
            {
                problems.Add($"{property.Name}: {why}");
            }
        }

        Assert.True(problems.Count == 0, $"{sdkType} vs {service} {schemaName}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(SentModels))]
    public void EveryFieldTheServerReadsIsSentWithACompatibleType(string service, string sdkType, string schemaName)
    {
        var schemas = OpenApiDocuments.Load(service).GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty(schemaName, out var schema), $"{service} publishes no schema {schemaName}.");
        var type = TypeInfo(sdkType);
        var sent = type.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        problems.AddRange(required.Where(name => !sent.ContainsKey(name)).Select(name => $"{name}: the server requires it, the SDK does not send it"));

        foreach (var wire in schema.GetProperty("properties").EnumerateObject())
        {
            if (!sent.TryGetValue(wire.Name, out var property))
            {
                continue;
            }

            var (resolved, _, reference) = Resolve(wire.Value, schemas);
            if (!Compatible(service, property.PropertyType, resolved, reference, schemas, out var why))
            {
                problems.Add($"{wire.Name}: {why}");
            }
        }

        problems.AddRange(sent.Keys.Where(name => !schema.GetProperty("properties").TryGetProperty(name, out _)).Select(name => $"{name}: the SDK sends it, the server does not read it"));
        Assert.True(problems.Count == 0, $"{sdkType} vs {service} {schemaName}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryOperationTheSdkCallsExistsAndAnswersWhatTheSdkReads(string service, string path, string method, string answer)
    {
        var document = OpenApiDocuments.Load(service);
        var paths = document.GetProperty("paths");
        var operationPath = paths.TryGetProperty(path, out var found) ? found : paths.TryGetProperty(path + "/", out var slash) ? slash : default;
        Assert.True(operationPath.ValueKind == JsonValueKind.Object, $"{service} has no path {path}");
        Assert.True(operationPath.TryGetProperty(method, out var operation), $"{service} has no {method} {path}");
        Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");

        var responses = operation.GetProperty("responses");
        var success = responses.EnumerateObject().First(r => r.Name is "200" or "201").Value;
        var content = success.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(answer, Describe(content));
    }

    [Theory]
    [MemberData(nameof(ExactModels))]
    public void AModelReadWholeHasExactlyTheServersFields(string service, string sdkType, string schemaName)
    {
        var schema = OpenApiDocuments.Load(service).GetProperty("components").GetProperty("schemas").GetProperty(schemaName);
        var server = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
        var sdk = TypeInfo(sdkType).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var problems = server.Except(sdk).Select(name => $"{name}: the server sends it, the SDK does not read it")
            .Concat(sdk.Except(server).Select(name => $"{name}: the SDK reads it, the server does not send it"))
            .Concat(server.Except(required).Select(name => $"{name}: the server may leave it out"))
            .ToList();
        Assert.True(problems.Count == 0, $"{sdkType} vs {service} {schemaName}:\n" + string.Join("\n", problems));
    }

    private static string Describe(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return reference.GetString()!.Split('/')[^1];
        }

        return schema.TryGetProperty("items", out var items) ? Describe(items) + "[]" : schema.GetRawText();
    }

    private static JsonTypeInfo TypeInfo(string name)
        => HiveJsonContext.Default.GetTypeInfo(typeof(ProductDetail).Assembly.GetType($"Hive.Mobile.Models.{name}", throwOnError: true)!)!;

    /// <summary>
    /// Follows $ref and nullable wrappers (oneOf/anyOf with a null branch, or "null" in a type array); the
    /// schema's name when it was a $ref.
    /// </summary>
    private static (JsonElement Schema, bool Nullable, string? Reference) Resolve(JsonElement schema, JsonElement schemas)
    {
        var nullable = false;
        foreach (var combinator in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                var branches = options.EnumerateArray().ToList();
                nullable |= branches.Any(b => TypeNames(b).SequenceEqual(["null"]));
                schema = branches.First(b => !TypeNames(b).SequenceEqual(["null"]));
            }
        }

        string? name = null;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            name = reference.GetString()!.Split('/')[^1];
            schema = schemas.GetProperty(name);
        }

        nullable |= TypeNames(schema).Contains("null");
        return (schema, nullable, name);
    }

    private static List<string> TypeNames(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
    }

    private static bool Compatible(string service, Type type, JsonElement schema, string? reference, JsonElement schemas, out string why)
    {
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        var names = TypeNames(schema);
        why = $"the SDK reads {clr.Name}, the server sends {(names.Count == 0 ? schema.GetRawText() : string.Join("|", names))}";
        if (clr == typeof(string))
        {
            return names.Contains("string");
        }

        if (clr == typeof(int) || clr == typeof(long) || clr == typeof(short))
        {
            return names.Contains("integer");
        }

        if (clr == typeof(decimal) || clr == typeof(double) || clr == typeof(float))
        {
            return names.Contains("number") || names.Contains("integer");
        }

        if (clr == typeof(bool))
        {
            return names.Contains("boolean");
        }

        if (clr == typeof(DateTimeOffset) || clr == typeof(DateTime))
        {
            return names.Contains("string") && schema.TryGetProperty("format", out var format) && format.GetString() == "date-time";
        }

        if (clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return names.Contains("object");
        }

        if (clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            if (!names.Contains("array"))
            {
                return false;
            }

            var (items, _, itemReference) = Resolve(schema.GetProperty("items"), schemas);
            return Compatible(service, clr.GetGenericArguments()[0], items, itemReference, schemas, out why);
        }

        // A nested model: its fields are checked by its own row; here it must be an object of the schema that row names.
        if (names.Count != 0 && !names.Contains("object"))
        {
            return false;
        }

        var paired = Models.Concat(SentModels).Select(row => ((string)row[0], (string)row[1], (string)row[2])).FirstOrDefault(row => row.Item1 == service && row.Item2 == clr.Name).Item3;
        why = $"the SDK reads {clr.Name} (checked as {paired ?? "nothing"}), the server sends {reference ?? "an inline object"}";
        return paired is not null && paired == reference;
    }
}
