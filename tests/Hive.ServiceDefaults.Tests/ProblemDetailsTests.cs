using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.ServiceDefaults.Tests;

/// <summary>Every error a client of any service sees is an RFC 9457 ProblemDetails, never a bare status or a 500 for bad input.</summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private TestService? _service;

    private HttpClient Client => _service!.Client;

    public async Task InitializeAsync()
        => _service = await TestService.StartAsync(map: app =>
        {
            app.MapGet("/products/{id:int}", (int id) => TypedResults.Ok(new { id }));
            app.MapGet("/prices", (int max) => TypedResults.Ok(new { max }));
            app.MapPost("/orders", (OrderRequest order) => TypedResults.Ok(order));
            app.MapGet("/boom", string () => throw new InvalidOperationException("the database is on fire"));
        });

    public async Task DisposeAsync() => await _service!.DisposeAsync();

    [Fact]
    public async Task AnUnknownRouteIsA404ProblemNamingThePath()
    {
        using var response = await Client.GetAsync("/nowhere");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("/nowhere", problem.GetProperty("instance").GetString());
        // The request's W3C trace id, so an operator can find the trace from the client's error.
        Assert.Matches("(^|-)[0-9a-f]{32}($|-)", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task AQueryValueOfTheWrongTypeIsA400NamingTheParameter()
    {
        using var response = await Client.GetAsync("/prices?max=cheap");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ValidationErrors.Title, problem.GetProperty("title").GetString());
        Assert.Equal("max must be a whole number.", Errors(problem, "max").Single());
        Assert.Contains("max", problem.GetProperty("detail").GetString());
        Assert.Equal("/prices", problem.GetProperty("instance").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task AMissingRequiredQueryValueIsA400NamingTheParameter()
    {
        using var response = await Client.GetAsync("/prices");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("max is required.", Errors(problem, "max").Single());
    }

    [Fact]
    public async Task AJsonValueOfTheWrongKindIsA400NamingTheProperty()
    {
        using var content = new StringContent("{\"quantity\": \"many\"}", Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/orders", content);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        // The JSON property, not the handler's parameter ("order") nor the .NET type.
        Assert.Contains("quantity", Errors(problem, "quantity").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("Int32", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("quantity", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"quantity\": ", "not valid JSON")]
    [InlineData("{\"quantity\": tru}", "not valid JSON")]
    [InlineData("[3]", "expected shape")]
    [InlineData("", "required")]
    public async Task ABodyThatIsNotTheExpectedJsonIsA400UnderBody(string body, string says)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/orders", content);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(says, Errors(problem, "body").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOfAnotherMediaTypeIsA415Problem()
    {
        using var content = new StringContent("quantity=3", Encoding.UTF8, "text/plain");
        using var response = await Client.PostAsync("/orders", content);

        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task InDevelopmentABindingFailureIsTheSameValidationProblemNotTheDeveloperPage()
    {
        await using var development = await TestService.StartAsync(
            map: app => app.MapGet("/prices", (int max) => TypedResults.Ok(new { max })),
            environment: "Development");

        using var response = await development.Client.GetAsync("/prices?max=cheap");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(ValidationErrors.Title, problem.GetProperty("title").GetString());
        Assert.Equal("max must be a whole number.", Errors(problem, "max").Single());
        Assert.False(problem.TryGetProperty("exception", out _));
    }

    [Fact]
    public async Task AnUnhandledExceptionIsA500ProblemThatDoesNotLeakTheMessage()
    {
        using var response = await Client.GetAsync("/boom");

        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("on fire", problem.GetRawText());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task AGoodRequestIsUntouched()
    {
        using var response = await Client.PostAsJsonAsync("/orders", new OrderRequest(3));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<OrderRequest>())!.Quantity);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static string[] Errors(JsonElement problem, string field)
    {
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name {field}: {problem}");
        return [.. messages.EnumerateArray().Select(m => m.GetString()!)];
    }

    private sealed record OrderRequest(int Quantity);
}
