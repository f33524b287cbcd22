using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Search.Api.Http;

/// <summary>
/// ETag and Cache-Control for cacheable GETs. The ETag is a hash of the JSON body, so the same answer
/// (cached or freshly computed, on any replica) carries the same tag and a client revalidation costs
/// a 304 with no body.
/// </summary>
internal static class ConditionalGet
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sets ETag and Cache-Control; true when the client's If-None-Match already names this body (answer 304).</summary>
    public static bool IsNotModified<T>(HttpContext context, T body, int maxAgeSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"");

        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(maxAgeSeconds) };

        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(etag, useStrongComparison: false)))
        {
            return true;
        }

        return false;
    }
}
