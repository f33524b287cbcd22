namespace Hive.Mobile.Connectivity;

/// <summary>
/// Connectivity as the SDK sees it: what the platform says, corrected by what the SDK observes. Several
/// connection failures in a row count as offline even when the platform claims a network (a captive
/// portal, a dead cell); the first success after that is reported as "back online".
/// </summary>
internal sealed class ConnectivityTracker : IDisposable
{
    private readonly INetworkMonitor _monitor;
    private readonly int _failuresBeforeOffline;
    private int _consecutiveFailures;

    public ConnectivityTracker(INetworkMonitor monitor, int failuresBeforeOffline)
    {
        _monitor = monitor;
        _failuresBeforeOffline = Math.Max(1, failuresBeforeOffline);
        _monitor.QualityChanged += OnQualityChanged;
    }

    /// <summary>Raised when the platform reports a network again, or a request succeeds after observed failures.</summary>
    public event EventHandler? Online;

    public NetworkQuality Quality => _monitor.Quality;

    /// <summary>The platform says there is no network: requests are not even attempted.</summary>
    public bool PlatformOffline => _monitor.Quality == NetworkQuality.Offline;

    /// <summary>Offline by the platform's word or by repeated failures.</summary>
    public bool SeemsOffline => PlatformOffline || Volatile.Read(ref _consecutiveFailures) >= _failuresBeforeOffline;

    public void Succeeded()
    {
        if (Interlocked.Exchange(ref _consecutiveFailures, 0) >= _failuresBeforeOffline)
        {
            Online?.Invoke(this, EventArgs.Empty);
        }
    }

    public void Failed() => Interlocked.Increment(ref _consecutiveFailures);

    public void Dispose() => _monitor.QualityChanged -= OnQualityChanged;

    private void OnQualityChanged(object? sender, NetworkQuality quality)
    {
        if (quality != NetworkQuality.Offline)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
            Online?.Invoke(this, EventArgs.Empty);
        }
    }
}
