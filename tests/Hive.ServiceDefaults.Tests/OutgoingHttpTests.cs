using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// Calls between services use names, not ports (service discovery), and ride over a brief failure of the
/// service called (standard resilience: a 503 is retried).
/// </summary>
public sealed class OutgoingHttpTests : IAsyncLifetime
{
    private WebApplication? _inventory;
    private int _calls;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _inventory = builder.Build();
        // Down for the first call, up after: what a restarting replica looks like to its callers.
        _inventory.MapGet("/stock", () => Interlocked.Increment(ref _calls) == 1
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Text("in stock"));
        await _inventory.StartAsync();
    }

    public async Task DisposeAsync() => await _inventory!.DisposeAsync();

    [Fact]
    public async Task AServiceIsCalledByNameAndABriefOutageIsRetried()
    {
        await using var service = await TestService.StartAsync(configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Services:inventory:http:0"] = _inventory!.Urls.Single(),
            });
            builder.Services.AddHttpClient("inventory", client => client.BaseAddress = new Uri("http://inventory"));
        });
        using var client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");

        using var response = await client.GetAsync("/stock");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("in stock", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _calls);
    }

    [Fact]
    public void ANullBuilderOrAppIsAProgrammingError()
    {
        Assert.Throws<ArgumentNullException>(() => ((WebApplicationBuilder)null!).AddServiceDefaults());
        Assert.Throws<ArgumentNullException>(() => ((WebApplication)null!).MapDefaultEndpoints());
    }
}
