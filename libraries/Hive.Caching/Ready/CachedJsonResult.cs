using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Hive.Caching;

/// <summary>
/// Sends a <see cref="CachedJson{T}"/> as it is stored: a 304 when the client holds the tag (no body work
/// at all), else the stored bytes, Brotli or gzip when the client asks for them, under a strong ETag.
/// Same headers as <c>ConditionalJson</c>, which serializes per request for answers that are not cached.
/// </summary>
public sealed class CachedJsonResult<T>(CachedJson<T> json, string cacheControl) : IResult, IEndpointMetadataProvider
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public CachedJson<T> Json { get; } = json;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request.Headers;
        var response = httpContext.Response;
        var coding = HttpCoding.Choose(request.AcceptEncoding);
        var body = coding == ContentCoding.Identity ? Json.Body : Json.Encoded(coding);
        if (body is null)
        {
            coding = ContentCoding.Identity;
            body = Json.Body;
        }

        var headers = response.Headers;
        headers.ETag = CachedJson.ETagFor(Json.ETag, coding);
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;

        if (HttpCoding.Matches(request.IfNoneMatch, Json.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        if (coding != ContentCoding.Identity)
        {
            headers.ContentEncoding = coding == ContentCoding.Brotli ? "br" : "gzip";
        }

        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    /// <summary>Describes the answers (the body as JSON, or 304) so OpenAPI documents name the type.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }
}
