using System.Net.Http.Json;
using System.Text.Json;

namespace Metrics.Api.Fleet;

/// <summary>
/// Reads what each service knows only about itself (cache statistics, invalidation lag) through service
/// discovery. A service that does not answer in time is reported as such instead of failing the view.
/// </summary>
public sealed class FleetProbe(IHttpClientFactory httpClientFactory, IConfiguration configuration)
{
    public const string HttpClientName = "fleet-probe";

    /// <summary>Services whose endpoints the metrics service was given (<c>services__{name}__http__0</c>).</summary>
    private static readonly string[] Known = ["catalog", "search", "media", "gateway"];

    public IReadOnlyList<string> Services => Known
        .Where(name => configuration[$"services:{name}:http:0"] is not null)
        .ToList();

    public async Task<IReadOnlyDictionary<string, FleetReading>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var readings = await Task.WhenAll(Services.Select(async service =>
        {
            try
            {
                var body = await client.GetFromJsonAsync<JsonElement>($"http://{service}{path}", cancellationToken);
                return (service, new FleetReading(true, body, null, DateTimeOffset.UtcNow));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                return (service, new FleetReading(false, null, ex.Message, DateTimeOffset.UtcNow));
            }
        }));
        return readings.ToDictionary(r => r.service, r => r.Item2);
    }
}

/// <summary>
/// The services' /admin endpoints need an admin token; the fleet view is itself admin-only, so it reads
/// them with the admin's own bearer token instead of holding a credential of its own.
/// </summary>
internal sealed class ForwardCallerToken(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext?.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One service's answer (or why there was none) and when it was read.</summary>
public sealed record FleetReading(bool Answered, JsonElement? Body, string? Error, DateTimeOffset ReadAt);

public static class FleetProbeExtensions
{
    public static IHostApplicationBuilder AddFleetProbe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardCallerToken>();
        builder.Services.AddHttpClient(FleetProbe.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(3))
            .AddHttpMessageHandler<ForwardCallerToken>();
        builder.Services.AddSingleton<FleetProbe>();
        return builder;
    }
}
