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
        Assert.Equal("The request is not valid.", problem.GetProperty("title").GetString());
        Assert.Contains("max", problem.GetProperty("detail").GetString());
        Assert.Equal("/prices", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task MalformedJsonIsA400SayingWhatWasWrong()
    {
        using var content = new StringContent("{\"quantity\": \"many\"}", Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/orders", content);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString();
        // The framework's message names the parameter, the inner JSON error names the field.
        Assert.Contains("order", detail);
        Assert.Contains("quantity", detail);
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

    private sealed record OrderRequest(int Quantity);
}
