using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hive.ServiceDefaults.OpenApi;

internal static class JsonOptionsLookup
{
    /// <summary>The options the service writes its answers with, so an example reads as a real answer.</summary>
    public static JsonSerializerOptions GetJsonSerializerOptions(this IServiceProvider services)
        => services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
}
