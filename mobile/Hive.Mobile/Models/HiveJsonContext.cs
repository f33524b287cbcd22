using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.Mobile.Models;

/// <summary>Source-generated JSON for every wire type: no reflection, so the SDK trims and compiles ahead of time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProductDetail))]
[JsonSerializable(typeof(ProductPage))]
[JsonSerializable(typeof(IReadOnlyList<ProductCard>))]
[JsonSerializable(typeof(IReadOnlyList<TrendingProduct>))]
[JsonSerializable(typeof(IReadOnlyList<CategoryCount>))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(AutocompleteResponse))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(OrderPage))]
[JsonSerializable(typeof(IReadOnlyList<ImageSize>))]
[JsonSerializable(typeof(ImageVariants))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class HiveJsonContext : JsonSerializerContext;
