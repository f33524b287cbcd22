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

    public static TheoryData<string, string, string, string?, string> BadInput => new()
    {
        // Found by the handlers.
        { "buyer", "GET", "/api/catalog/products?pageSize=0", null, "pageSize" },
        { "buyer", "GET", "/api/catalog/products/trending?window=year", null, "window" },
        { "buyer", "GET", "/api/catalog/products/by-slug/Not_A_Slug", null, "slug" },
        { "seller", "POST", "/api/catalog/products", "{\"name\":\"Kikoi\",\"categoryId\":3,\"price\":-1}", "price" },
        { "seller", "GET", "/api/catalog/seller/products?status=sold", null, "status" },
        { "buyer", "POST", "/api/catalog/orders", "{\"customerName\":\"Wanjiru\",\"customerPhone\":\"nope\",\"deliveryCounty\":\"Nairobi\",\"lines\":[{\"productId\":1,\"quantity\":1}]}", "customerPhone" },
        { "buyer", "GET", "/api/catalog/orders?pageSize=500", null, "pageSize" },
        // Found by the framework while binding: the same answer, naming the parameter or JSON property.
        { "buyer", "GET", "/api/catalog/products?category=abc", null, "category" },
        { "buyer", "GET", "/api/catalog/products/featured?limit=1e9", null, "limit" },
        { "seller", "POST", "/api/catalog/products", "{\"name\":\"Kikoi\",\"categoryId\":3,\"price\":\"cheap\"}", "price" },
        { "seller", "PUT", "/api/catalog/products/1", "{\"name\":", "body" },
        { "buyer", "POST", "/api/catalog/orders", "{\"customerName\":\"Wanjiru\",\"lines\":[{\"productId\":1,\"quantity\":\"two\"}]}", "lines[0].quantity" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInputIsA400ValidationProblemNamingTheField(string caller, string method, string path, string? body, string field)
    {
        using var client = caller == "seller" ? TestTokens.SellerClient(catalog, CatalogFixture.BusinessA) : TestTokens.BuyerClient(catalog);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("One or more validation errors occurred.", problem.RootElement.GetProperty("title").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name {field}: {text}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.False(problem.RootElement.TryGetProperty("exception", out _), text);
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
