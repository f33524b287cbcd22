using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Hive.ServiceDefaults.RequestMetrics;

/// <summary>
/// Request figures per route template, fed by ASP.NET Core's own <c>http.server.request.duration</c>
/// measurement (which already carries the route template, method and status), so nothing is added to the
/// request pipeline: a dictionary lookup by (method, template), atomics and a lock-free HdrHistogram
/// recorder per route, no allocation. Only this host's meter is listened to, so several hosts in one
/// process (tests) keep apart. Publishes its figures on the <c>Hive.Http</c> meter.
/// </summary>
public sealed class RequestMetrics : IDisposable
{
    public const string MeterName = "Hive.Http";
    internal const int TickSeconds = 5;
    internal const string Unmatched = "(unmatched)";
    internal const string Other = "(other)";

    private readonly ConcurrentDictionary<(string Method, string Route), RouteRecorder> _routes = new();
    private readonly RequestMetricsOptions _options;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _clock;
    private readonly MeterListener _listener = new();
    private readonly Counter<long> _slowCounter;
    private readonly SlowRequest?[] _slow;
    private readonly Lock _slowLock = new();
    private readonly Timer _ticker;
    private long _slowWritten;

    public RequestMetrics(IOptions<RequestMetricsOptions> options, IMeterFactory meterFactory, TimeProvider clock, IServiceName serviceName)
    {
        _options = options.Value;
        _meterFactory = meterFactory;
        _clock = clock;
        Service = serviceName.Name;
        StartedAt = clock.GetUtcNow();
        _slow = new SlowRequest?[_options.SlowRequestsKept];

        var meter = meterFactory.Create(MeterName);
        _slowCounter = meter.CreateCounter<long>("hive.http.server.slow_requests", "{request}", "Requests slower than their route's threshold");
        meter.CreateObservableGauge("hive.http.server.request.rate", ObserveRates, "{request}/s", "Requests per second per route over the last 1 and 5 minutes");
        meter.CreateObservableGauge("hive.http.server.request.latency", ObserveLatencies, "ms", "Request latency percentiles per route since start");

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "http.server.request.duration", Meter.Name: "Microsoft.AspNetCore.Hosting" }
                && ReferenceEquals(instrument.Meter.Scope, _meterFactory))
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, seconds, tags, state) => ((RequestMetrics)state!).OnRequest(seconds, tags));
        _listener.Start();
        _ticker = new Timer(static state => ((RequestMetrics)state!).Tick(), this, TimeSpan.FromSeconds(TickSeconds), TimeSpan.FromSeconds(TickSeconds));
    }

    public string Service { get; }

    public DateTimeOffset StartedAt { get; }

    public RequestMetricsSnapshot Snapshot()
    {
        var routes = _routes.Values.Select(r => r.Snapshot()).OrderBy(r => r.Route, StringComparer.Ordinal).ToList();
        SlowRequest[] slow;
        lock (_slowLock)
        {
            slow = [.. _slow.Where(s => s is not null).Select(s => s!).OrderByDescending(s => s.At)];
        }

        return new RequestMetricsSnapshot(
            Service,
            _clock.GetUtcNow(),
            StartedAt,
            routes.Sum(r => r.Count),
            routes.Sum(r => r.ClientErrors),
            routes.Sum(r => r.ServerErrors),
            Math.Round(routes.Sum(r => r.RatePerSecond1m), 3),
            Math.Round(routes.Sum(r => r.RatePerSecond5m), 3),
            routes,
            slow);
    }

    public void Dispose()
    {
        _ticker.Dispose();
        _listener.Dispose();
    }

    private void OnRequest(double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? route = null;
        var method = "_OTHER";
        var status = 0;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "http.route":
                    route = tag.Value as string;
                    break;
                case "http.request.method":
                    method = tag.Value as string ?? method;
                    break;
                case "http.response.status_code":
                    status = tag.Value is int code ? code : 0;
                    break;
            }
        }

        var recorder = Recorder(method, string.IsNullOrEmpty(route) ? Unmatched : route);
        if (recorder.Record(seconds, status))
        {
            OnSlow(recorder, method, status, seconds);
        }
    }

    private RouteRecorder Recorder(string method, string route)
    {
        if (_routes.TryGetValue((method, route), out var recorder))
        {
            return recorder;
        }

        // Templates are few and fixed, but a bounded table keeps a misbehaving router from growing it.
        if (_routes.Count >= _options.MaxRoutes)
        {
            route = Other;
        }

        return _routes.GetOrAdd((method, route), static (key, options) => new RouteRecorder(
            $"{key.Method} {key.Route}",
            options.SlowThresholds.TryGetValue(key.Route, out var threshold) ? threshold : options.SlowThreshold), _options);
    }

    private void OnSlow(RouteRecorder recorder, string method, int status, double seconds)
    {
        var entry = new SlowRequest(recorder.Route, method, status, Math.Round(seconds * 1000, 3), Activity.Current?.TraceId.ToHexString(), _clock.GetUtcNow());
        lock (_slowLock)
        {
            _slow[_slowWritten % _slow.Length] = entry;
            _slowWritten++;
        }

        _slowCounter.Add(1, new KeyValuePair<string, object?>("http.route", recorder.Route));
    }

    private void Tick()
    {
        foreach (var recorder in _routes.Values)
        {
            recorder.Tick();
        }
    }

    private IEnumerable<Measurement<double>> ObserveRates()
    {
        foreach (var route in _routes.Values.Select(r => r.Snapshot()))
        {
            yield return new Measurement<double>(route.RatePerSecond1m, new("http.route", route.Route), new("window", "1m"));
            yield return new Measurement<double>(route.RatePerSecond5m, new("http.route", route.Route), new("window", "5m"));
        }
    }

    private IEnumerable<Measurement<double>> ObserveLatencies()
    {
        foreach (var route in _routes.Values.Select(r => r.Snapshot()))
        {
            yield return new Measurement<double>(route.P50Ms, new("http.route", route.Route), new("quantile", "p50"));
            yield return new Measurement<double>(route.P95Ms, new("http.route", route.Route), new("quantile", "p95"));
            yield return new Measurement<double>(route.P99Ms, new("http.route", route.Route), new("quantile", "p99"));
        }
    }
}
