using Hive.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Hive.Gateway.Tests;

/// <summary>A real HTTP service behind the gateway: answers any GET, and any write with the size of the body it read.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<TestBackend> StartAsync()
    {
        var port = LocalServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.MapGet("/{**path}", (string? path) => Results.Json(new { path }));
        app.MapMethods("/{**path}", ["POST", "PUT", "DELETE"], async (HttpRequest request) =>
        {
            long read = 0;
            var buffer = new byte[81920];
            int n;
            while ((n = await request.Body.ReadAsync(buffer)) > 0)
            {
                read += n;
            }

            return Results.Json(new { read });
        });
        await app.StartAsync();
        return new TestBackend(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
