using System.Globalization;
using System.Text.RegularExpressions;
using NetVips;

namespace Media.Api.Storage;

/// <summary>
/// The pictures of the demo data (<c>demo/{design}-{w}x{h}.jpg</c>, written by the seeder into
/// media_images): twelve designs drawn with libvips — a two-colour diagonal gradient with a disc and a
/// band, in the marketplace's colours — so every seeded product has a real image without committed binaries.
/// </summary>
public static partial class DemoOriginals
{
    private static readonly (double[] From, double[] To, double[] Accent)[] Designs =
    [
        ([196, 30, 58], [250, 200, 80], [255, 255, 255]),
        ([0, 102, 68], [140, 200, 120], [250, 240, 200]),
        ([20, 40, 120], [90, 170, 230], [255, 210, 60]),
        ([120, 60, 20], [230, 170, 110], [40, 40, 40]),
        ([80, 20, 110], [220, 120, 200], [255, 240, 250]),
        ([10, 10, 10], [120, 120, 120], [240, 80, 40]),
        ([240, 120, 0], [255, 230, 150], [0, 90, 160]),
        ([0, 120, 140], [170, 230, 220], [200, 40, 80]),
        ([150, 0, 0], [40, 0, 0], [250, 220, 0]),
        ([60, 90, 30], [200, 210, 120], [120, 40, 20]),
        ([230, 230, 235], [160, 170, 190], [20, 110, 200]),
        ([255, 90, 120], [255, 200, 210], [30, 30, 90]),
    ];

    public static bool IsDemo(string key) => Pattern().IsMatch(key);

    /// <summary>The JPEG for a demo key, or null when the key is not one.</summary>
    public static byte[]? Draw(string key)
    {
        var match = Pattern().Match(key);
        if (!match.Success)
        {
            return null;
        }

        var design = Designs[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) % Designs.Length];
        var width = Math.Clamp(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 16, 4096);
        var height = Math.Clamp(int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), 16, 4096);

        using var xyz = Image.Xyz(width, height);
        using var x = xyz.ExtractBand(0);
        using var y = xyz.ExtractBand(1);
        using var t = (x + y) / (double)(width + height);
        using var inverse = 1.0 - t;
        using var from = inverse.Linear(design.From, [0, 0, 0]);
        using var to = t.Linear(design.To, [0, 0, 0]);
        using var gradient = from + to;

        // A disc right of centre and a band across the lower third: shapes crops and placeholders can show.
        var r = Math.Min(width, height) / 4.0;
        using var dx = x - width * 0.62;
        using var dy = y - height * 0.42;
        using var distance = (dx * dx + dy * dy).Pow(0.5);
        using var disc = distance < r;
        using var band = (y > height * 0.7) & (y < height * 0.78);
        using var mask = disc | band;
        using var accent = Image.Black(width, height, bands: 3).Linear([0, 0, 0], design.Accent);
        using var drawn = mask.Ifthenelse(accent, gradient);
        using var ready = drawn.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return ready.JpegsaveBuffer(q: 88, keep: Enums.ForeignKeep.None);
    }

    [GeneratedRegex(@"^demo/(\d{1,3})-(\d{1,5})x(\d{1,5})\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>
/// Draws a demo original the first time it is asked for and keeps it in the inner store; every other
/// key passes straight through.
/// </summary>
public sealed class DemoOriginalStore(LocalFolderMediaStore inner) : IMediaStore
{
    public Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => inner.PutAsync(key, bytes, cancellationToken);

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await inner.GetAsync(key, cancellationToken);
        if (stored is not null || !DemoOriginals.IsDemo(key))
        {
            return stored;
        }

        var drawn = DemoOriginals.Draw(key)!;
        await inner.PutAsync(key, drawn, cancellationToken);
        return drawn;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
}
