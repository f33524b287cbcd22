using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Media.Api.Apis;
using Media.Api.Delivery;

namespace Media.Api.Tests;

/// <summary>What the tests do with the service over HTTP, in one place.</summary>
public static class MediaClient
{
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, long productId, byte[] bytes, string fileName = "photo.jpg", string contentType = "image/jpeg", string altText = "A photo")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent(altText), "altText");
        return await client.PostAsync($"/api/media/products/{productId}/images", form);
    }

    /// <summary>Replaces an image's picture (PUT, multipart with the new picture in 'file').</summary>
    public static async Task<HttpResponseMessage> ReplaceAsync(this HttpClient client, long imageId, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        return await client.PutAsync($"/api/media/images/{imageId}", form);
    }

    public static async Task<ImageAnswer> UploadOkAsync(this HttpClient client, long productId, byte[] bytes)
    {
        using var response = await client.UploadAsync(productId, bytes);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ImageAnswer>())!;
    }

    public static async Task<VariantSet> VariantsAsync(this HttpClient client, long imageId)
        => (await client.GetFromJsonAsync<VariantSet>($"/api/media/images/{imageId}/variants"))!;

    public static async Task<HttpResponseMessage> GetImageAsync(this HttpClient client, string url, string? accept = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// Asserts an RFC 9457 answer with the status and (when given) the field it names: a 400 is the fleet's
    /// validation problem with the field in <c>errors</c>; other refusals (403, 413, 415) name it in <c>field</c>.
    /// </summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, int status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        if (field is null)
        {
            return;
        }

        if (status == 400)
        {
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name {field}: {body}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }
        else
        {
            Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        }
    }
}
