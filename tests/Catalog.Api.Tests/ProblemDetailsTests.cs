using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>Outside Development a ProblemDetails names the field, never a .NET type or a stack trace.</summary>
[Collection(CatalogCollection.Name)]
public sealed class ProblemDetailsTests(CatalogFixture catalog)
{
    [Theory]
    [InlineData("PUT", "/api/catalog/products/1/featured", "{\"featured\":\"abc\"}", "featured")]
    [InlineData("PUT", "/api/catalog/products/1/featured", "{\"featured\":", null)]
    [InlineData("GET", "/api/catalog/products?category=abc", null, "category")]
    [InlineData("GET", "/api/catalog/products/featured?limit=1e9", null, "limit")]
    public async Task ABadRequestOutsideDevelopmentShowsNoTypeNamesOrStackTraces(string method, string path, string? body, string? field)
    {
        await using var production = catalog.CreateReplica("Production");
        using var client = TestTokens.Admin(production);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = problem.GetRawText();
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", text, StringComparison.Ordinal);
        Assert.DoesNotContain("int?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.`<>|]+\(", text);
        Assert.False(problem.TryGetProperty("exception", out _));
        if (field is not null)
        {
            Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AServerErrorOutsideDevelopmentShowsNoExceptionDetails()
    {
        // Nothing listens on port 1: every uncached read fails inside the service, which answers that its
        // database is unavailable (a 503 from the database guard), without saying how it failed.
        await using var production = catalog.CreateReplica("Production", "Host=127.0.0.1;Port=1;Database=hive;Username=hive;Password=x;Timeout=2");
        using var client = production.CreateClient();

        using var response = await client.GetAsync("/api/catalog/products/987654");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("traceId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.`<>|]+\(", text);
    }
}
