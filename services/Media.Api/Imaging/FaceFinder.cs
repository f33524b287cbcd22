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
    private const int DetectionWidth = 480;

    private readonly CascadeClassifier? _cascade;
    private readonly Lock _gate = new();

    public FaceFinder(IOptions<MediaOptions> options, ILogger<FaceFinder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.FaceCascadePath;
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            _cascade = new CascadeClassifier(path);
        }
        else
        {
            LogNoCascade(logger, path);
        }
    }

    public bool Available => _cascade is not null;

    /// <summary>The centre (in <paramref name="image"/>'s pixels) of the faces found, the largest weighing most; null when none.</summary>
    public (double X, double Y)? FindCentre(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_cascade is null)
        {
            return null;
        }

        var scale = Math.Min(1.0, DetectionWidth / (double)image.Width);
        using var small = scale < 1 ? image.Resize(scale) : image.Copy();
        using var flat = small.HasAlpha() ? small.Flatten(background: [255, 255, 255]) : small.Copy();
        using var grey = flat.Colourspace(Enums.Interpretation.Bw);
        using var band = grey.ExtractBand(0).Cast(Enums.BandFormat.Uchar);
        var pixels = band.WriteToMemory<byte>();

        Rect[] faces;
        using (var mat = Mat.FromPixelData(band.Height, band.Width, MatType.CV_8UC1, pixels))
        {
            Cv2.EqualizeHist(mat, mat);
            var minSide = Math.Max(24, Math.Min(band.Width, band.Height) / 12);
            lock (_gate)
            {
                faces = _cascade.DetectMultiScale(mat, 1.1, 5, HaarDetectionTypes.ScaleImage, new OpenCvSharp.Size(minSide, minSide));
            }
        }

        if (faces.Length == 0)
        {
            return null;
        }

        double x = 0, y = 0, weight = 0;
        foreach (var face in faces)
        {
            double area = face.Width * face.Height;
            x += (face.X + face.Width / 2.0) * area;
            y += (face.Y + face.Height / 2.0) * area;
            weight += area;
        }

        return (x / weight / scale, y / weight / scale);
    }

    public void Dispose() => _cascade?.Dispose();

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "No Haar cascade at {Path} (Debian package opencv-data): gravity=face falls back to attention")]
    private static partial void LogNoCascade(ILogger logger, string path);
}
