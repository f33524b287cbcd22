using System.ComponentModel.DataAnnotations;

namespace Media.Api;

/// <summary>The media service's settings (section <c>Media</c>). Secrets come from the environment, never from appsettings.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>Folder of the local media store (originals) and the disk cache of large renderings.</summary>
    [Required]
    public string DataRoot { get; set; } = string.Empty;

    /// <summary>HMAC-SHA256 key that signs rendering URLs; at least 32 characters.</summary>
    [Required]
    [MinLength(32)]
    public string UrlSigningKey { get; set; } = string.Empty;

    /// <summary>Largest upload accepted. Default 20 MiB.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest picture accepted, read from the header before any decode. Default 50 megapixels (imgproxy's default).</summary>
    [Range(1_000_000, 500_000_000)]
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Largest width or height a rendering may ask for.</summary>
    [Range(16, 8192)]
    public int MaxDimension { get; set; } = 4096;

    /// <summary>Renderings up to this size live in Redis (<c>media:</c>); larger ones on disk. Default 96 KiB.</summary>
    [Range(0, 4 * 1024 * 1024)]
    public int RedisMaxBytes { get; set; } = 96 * 1024;

    /// <summary>Bytes the disk cache of renderings may hold; the least recently used go first. Default 512 MiB.</summary>
    [Range(1024 * 1024, 1L << 40)]
    public long DiskCacheBudgetBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Renders running at once; 0 means one per core.</summary>
    [Range(0, 64)]
    public int MaxConcurrentRenders { get; set; }

    /// <summary>How long a request waits for a render slot before a 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RenderQueueTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long /variants waits for renderings it reports the bytes of; slower ones say null (and the set is not cached).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan VariantBytesWait { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The named variant a product list card shows (its URL travels in catalog answers).</summary>
    [Required]
    public string CardVariant { get; set; } = "small";

    /// <summary>Haar cascade used by gravity=face; absent file means face gravity falls back to attention.</summary>
    public string FaceCascadePath { get; set; } = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    /// <summary>Cloudinary account; when set, variant and responsive URLs are Cloudinary delivery URLs.</summary>
    public CloudinaryOptions Cloudinary { get; set; } = new();
}

/// <summary>A Cloudinary account: <c>CLOUDINARY_URL</c> (cloudinary://key:secret@cloud) or the three parts.</summary>
public sealed class CloudinaryOptions
{
    public string? CloudName { get; set; }

    public string? ApiKey { get; set; }

    public string? ApiSecret { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CloudName);
}
