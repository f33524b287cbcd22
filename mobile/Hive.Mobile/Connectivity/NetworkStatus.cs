namespace Hive.Mobile.Connectivity;

/// <summary>How good the connection is, as the platform (or the app's setting) reports it.</summary>
public enum NetworkQuality
{
    Offline,

    /// <summary>2G-like: smallest pages and variants, no prefetch.</summary>
    Poor,

    /// <summary>3G-like: smaller pages and variants, no prefetch.</summary>
    Moderate,

    /// <summary>Wi-Fi or 4G: full pages, target variants, the next page's thumbnails prefetched.</summary>
    Good,
}

/// <summary>The platform's view of connectivity (MAUI's Connectivity, Android's ConnectivityManager, ...).</summary>
public interface INetworkMonitor
{
    NetworkQuality Quality { get; }

    event EventHandler<NetworkQuality>? QualityChanged;
}

/// <summary>A monitor the app sets itself: from a platform callback, a setting, or a command-line switch.</summary>
public sealed class ManualNetworkMonitor(NetworkQuality quality = NetworkQuality.Good) : INetworkMonitor
{
    private NetworkQuality _quality = quality;

    public NetworkQuality Quality
    {
        get => _quality;
        set
        {
            if (_quality == value)
            {
                return;
            }

            _quality = value;
            QualityChanged?.Invoke(this, value);
        }
    }

    public event EventHandler<NetworkQuality>? QualityChanged;
}
