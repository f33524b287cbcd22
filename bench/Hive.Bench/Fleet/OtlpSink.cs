using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Hive.Bench.Fleet;

/// <summary>
/// A collector that accepts every OTLP/gRPC export (traces, metrics, logs) and throws it away, so a
/// benchmark fleet exports as a deployed one does. Without it the services' exports to the dashboard
/// address (no dashboard runs in a benchmark) fail, and each failure is retried and its exceptions paid
/// for: costs no deployment with a collector has. Counts what arrived, for the report.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private static readonly byte[] EmptyMessage = [0, 0, 0, 0, 0]; // gRPC frame: not compressed, length 0
    private readonly WebApplication _app;
    private long _exports;
    private long _bytes;

    private OtlpSink(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public long Exports => Interlocked.Read(ref _exports);

    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // gRPC over cleartext HTTP/2 (prior knowledge), as the OTLP exporter speaks it to an http:// endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.MapPost("/{**method}", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            long read = 0;
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                read += n;
            }

            Interlocked.Increment(ref sink._exports);
            Interlocked.Add(ref sink._bytes, read);
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            await context.Response.Body.WriteAsync(EmptyMessage, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        sink.Endpoint = new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
