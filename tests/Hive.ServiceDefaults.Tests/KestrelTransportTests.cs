using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hive.ServiceDefaults.Tests;

/// <summary>
/// Kestrel runs each request on the thread that read it (no hand-off to the thread pool per step) unless
/// <c>Hive:Kestrel:InlineScheduling</c> is false; requests that wait on I/O still interleave on real sockets.
/// </summary>
public sealed class KestrelTransportTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task RequestsRunInlineUnlessTurnedOffAndInterleaveOverRealSockets(string? setting, bool inline)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (setting is not null)
        {
            builder.Configuration["Hive:Kestrel:InlineScheduling"] = setting;
        }

        builder.AddServiceDefaults();
        await using var app = builder.Build();
        var waiting = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet("/wait", async () =>
        {
            // Every request waits until all of them are in: they can only finish if none holds its thread.
            if (Interlocked.Increment(ref waiting) == 20)
            {
                gate.SetResult();
            }

            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            return Results.Text("done");
        });
        await app.StartAsync();

        Assert.Equal(inline, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/wait")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await app.StopAsync();
    }
}
