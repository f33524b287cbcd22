using System.Globalization;
using Media.Api.Data;
using Media.Api.Imaging;

namespace Media.Api.Delivery;

public sealed record ResponsiveSet(string Src, string Srcset, string Sizes, IReadOnlyList<int> Widths, double? AspectRatio, string Placeholder);

/// <summary>
/// The notes' getResponsiveImageSet: <c>srcset</c> over a fixed ladder of widths (never a width the
/// client names, so nobody can make the service render arbitrary sizes), up to <c>maxWidth</c> and the
/// original's width, with heights from the aspect ratio when one is asked.
/// </summary>
public static class ResponsiveSets
{
    public static readonly IReadOnlyList<int> Ladder = [160, 240, 320, 480, 640, 768, 960, 1024, 1280, 1536, 1920];

    public const double MinAspectRatio = 0.25;
    public const double MaxAspectRatio = 4;

    public static ResponsiveSet Build(MediaImage image, MediaUrls urls, string sizes, int maxWidth, double? aspectRatio)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(urls);
        var limit = Math.Min(maxWidth, image.Width);
        var widths = Ladder.Where(w => w <= limit).ToList();
        if (widths.Count == 0)
        {
            widths.Add(Ladder[0]);
        }

        string UrlFor(int width) => aspectRatio is { } ratio
            ? urls.For(image, width, Math.Max(1, (int)Math.Round(width / ratio)), Fit.Cover, Gravity.Centre, null, null)
            : urls.For(image, width, null, Fit.Inside, Gravity.Centre, null, null);

        var srcset = string.Join(", ", widths.Select(w => string.Create(CultureInfo.InvariantCulture, $"{UrlFor(w)} {w}w")));
        return new ResponsiveSet(UrlFor(widths[^1]), srcset, sizes, widths, aspectRatio, image.Placeholder);
    }

    /// <summary>"1.5", "16:9" or "16/9" → width ÷ height, rounded to 2 places; null when unreadable or outside 1:4 … 4:1.</summary>
    public static double? ParseAspectRatio(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', '/');
        var ratio = parts.Length switch
        {
            1 => Number(text),
            2 when Number(parts[0]) is { } w && Number(parts[1]) is { } h && h > 0 => w / h,
            _ => null,
        };
        if (ratio is not { } value)
        {
            return null;
        }

        value = Math.Round(value, 2);
        return double.IsFinite(value) && value is >= MinAspectRatio and <= MaxAspectRatio ? value : null;
    }

    private static double? Number(string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
