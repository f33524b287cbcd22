using System.Net;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>Reads a 400 ValidationProblem the way a client shows it: the first message for a field.</summary>
internal static class ValidationAnswers
{
    public static async Task<string> FirstErrorAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {text}");
        return messages[0].GetString()!;
    }
}
