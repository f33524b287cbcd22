using Microsoft.Extensions.Options;
using NetVips;
using OpenCvSharp;

namespace Media.Api.Imaging;

/// <summary>
/// Finds faces with OpenCV's Haar cascade (Debian's opencv-data). Absent cascade: no faces are found and
/// gravity=face falls back to attention, which the log says once.
/// </summary>
public sealed partial class FaceFinder : IDisposable
{
    private const int DetectionWidth = 640;

    private readonly Lazy<CascadeClassifier?> _cascade;
    private readonly Lock _gate = new();

    public FaceFinder(IOptions<MediaOptions> options, ILogger<FaceFinder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.FaceCascadePath;
        _cascade = new Lazy<CascadeClassifier?>(() => Load(path, logger));
    }

    public bool Available => _cascade.Value is not null;

    /// <summary>The centre (in <paramref name="image"/>'s pixels) of the faces found, the largest one; null when none.</summary>
    public (double X, double Y)? FindCentre(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_cascade.Value is not { } cascade)
        {
            return null;
        }

        var scale = Math.Min(1.0, DetectionWidth / (double)image.Width);
        using var small = scale < 1 ? image.Resize(scale) : image.Copy();
        using var flat = small.HasAlpha() ? small.Flatten(background: [255, 255, 255]) : small.Copy();
        using var grey = flat.Colourspace(Enums.Interpretation.Bw);
        using var band = grey.ExtractBand(0).Cast(Enums.BandFormat.Uchar);
        // Handed over as an uncompressed-ish PNG: OpenCV decodes it into a Mat it owns.
        var png = band.PngsaveBuffer(compression: 0, keep: Enums.ForeignKeep.None);

        Rect[] faces;
        using (var mat = Cv2.ImDecode(png, ImreadModes.Grayscale))
        {
            Cv2.EqualizeHist(mat, mat);
            var minSide = Math.Max(24, Math.Min(band.Width, band.Height) / 16);
            lock (_gate)
            {
                faces = cascade.DetectMultiScale(mat, 1.1, 5, HaarDetectionTypes.ScaleImage, new OpenCvSharp.Size(minSide, minSide));
            }
        }

        if (faces.Length == 0)
        {
            return null;
        }

        // The largest face is the subject; smaller hits are often false positives in the background.
        var main = faces.MaxBy(f => f.Width * f.Height);
        return ((main.X + main.Width / 2.0) / scale, (main.Y + main.Height / 2.0) / scale);
    }

    public void Dispose()
    {
        if (_cascade.IsValueCreated)
        {
            _cascade.Value?.Dispose();
        }
    }

    private static CascadeClassifier? Load(string path, ILogger logger)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            LogNoCascade(logger, path);
            return null;
        }

        try
        {
            return new CascadeClassifier(path);
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or OpenCVException)
        {
            // OpenCvSharp's official runtime needs GTK 3 (libgtk-3-0) at load time.
            LogNoOpenCv(logger, ex);
            return null;
        }
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "OpenCV could not be loaded: gravity=face falls back to attention")]
    private static partial void LogNoOpenCv(ILogger logger, Exception exception);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "No Haar cascade at {Path} (Debian package opencv-data): gravity=face falls back to attention")]
    private static partial void LogNoCascade(ILogger logger, string path);
}
