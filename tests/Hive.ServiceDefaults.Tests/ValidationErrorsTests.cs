using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hive.ServiceDefaults.Tests;

/// <summary>The one validation answer every service gives for bad input, as a client receives it.</summary>
public sealed class ValidationErrorsTests : IAsyncLifetime
{
    private TestService? _service;

    public async Task InitializeAsync()
        => _service = await TestService.StartAsync(map: app =>
        {
            app.MapGet("/listing", (string? pageSize, string? sort) =>
            {
                var errors = new ValidationErrors();
                var size = errors.WholeNumber(pageSize, "pageSize", 1, 100) ?? 20;
                if (sort is not null and not "newest")
                {
                    errors.Add("sort", "sort must be newest.");
                }

                return errors.Count > 0 ? (IResult)errors.ToProblem() : TypedResults.Ok(new { size });
            });
            app.MapGet("/twice", () => new ValidationErrors().Add("lines", "An order has 1 to 50 lines.").Add("lines", "Each product may appear on one line only.").ToProblem());
        });

    public async Task DisposeAsync() => await _service!.DisposeAsync();

    [Fact]
    public async Task EveryBadFieldIsNamedWithItsMessageInOneRfc9457Answer()
    {
        using var response = await _service!.Client.GetAsync("/listing?pageSize=ten&sort=cheapest");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(ValidationErrors.Title, problem.GetProperty("title").GetString());
        Assert.Equal("pageSize must be a whole number from 1 to 100.", problem.GetProperty("errors").GetProperty("pageSize")[0].GetString());
        Assert.Equal("sort must be newest.", problem.GetProperty("errors").GetProperty("sort")[0].GetString());
        Assert.Equal("pageSize: pageSize must be a whole number from 1 to 100. sort: sort must be newest.", problem.GetProperty("detail").GetString());
        Assert.Matches("(^|-)[0-9a-f]{32}($|-)", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task AFieldWithTwoProblemsListsBothMessages()
    {
        using var response = await _service!.Client.GetAsync("/twice");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["An order has 1 to 50 lines.", "Each product may appear on one line only."],
            body.GetProperty("errors").GetProperty("lines").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task GoodInputPassesThrough()
    {
        Assert.Equal(42, (await _service!.Client.GetFromJsonAsync<JsonElement>("/listing?pageSize=42&sort=newest")).GetProperty("size").GetInt32());
        Assert.Equal(20, (await _service.Client.GetFromJsonAsync<JsonElement>("/listing")).GetProperty("size").GetInt32());
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void AWholeNumberInRangeIsReadAndAbsenceIsNoError(string? raw, int? expected)
    {
        var errors = new ValidationErrors();

        Assert.Equal(expected, errors.WholeNumber(raw, "limit", 1, 100));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("1e2")]
    [InlineData("ten")]
    [InlineData("99999999999999999999")]
    public void AnythingElseIsAnErrorNamingTheField(string raw)
    {
        var errors = new ValidationErrors();

        Assert.Null(errors.WholeNumber(raw, "limit", 1, 100));
        Assert.Equal(["limit must be a whole number from 1 to 100."], errors["limit"]);
    }

    [Fact]
    public void SettingAFieldReplacesItsMessagesWhileAddKeepsThem()
    {
        var errors = new ValidationErrors().Add("customerName", "customerName is required, at most 120 characters.");

        errors["customerName"] = ["customerName is not valid Unicode text."];
        errors.Add("lines", "An order has 1 to 50 lines.");

        Assert.Equal(["customerName is not valid Unicode text."], errors["customerName"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void AProblemWithoutAnyFieldIsAProgrammingError()
        => Assert.Throws<InvalidOperationException>(() => new ValidationErrors().ToProblem());
}
