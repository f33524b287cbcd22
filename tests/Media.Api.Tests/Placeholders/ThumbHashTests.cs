using Media.Api.Imaging;
using Media.Api.Placeholders;
using NetVips;

namespace Media.Api.Tests.Placeholders;

/// <summary>Against the reference implementation's published values (evanw/thumbhash, via jzebedee/ThumbHash's tests).</summary>
public sealed class ThumbHashTests
{
    [Fact]
    public void FlowerPhotoHashesToTheReferenceValue()
    {
        var (rgba, width, height) = Pixels("flower.jpg");
        Assert.Equal((75, 100), (width, height));

        var hash = ThumbHash.Encode(width, height, rgba);

        Assert.Equal("934A062D069256C374055867DA8AB6679490510719", Convert.ToHexString(hash));
        Assert.Equal("k0oGLQaSVsN0BVhn2oq2Z5SQUQcZ", Convert.ToBase64String(hash));
    }

    [Fact]
    public void TransparentTuxHashesToTheReferenceValueWithItsAlpha()
    {
        var (rgba, width, height) = Pixels("tux.png");

        var hash = ThumbHash.Encode(width, height, rgba);

        Assert.Equal("A1198A1C02383A25D727F68B971FF7F9717F80376758987906", Convert.ToHexString(hash));
        Assert.Equal(0.8, ThumbHash.AspectRatio(hash), 3);
        Assert.Equal(0.5333, ThumbHash.AverageRgba(hash).A, 3);
    }

    [Fact]
    public void FlowerHashCarriesTheReferenceAverageColourAndAspectRatio()
    {
        var hash = Convert.FromHexString("934A062D069256C374055867DA8AB6679490510719");

        var (r, g, b, a) = ThumbHash.AverageRgba(hash);

        Assert.Equal(0.48413, r, 4);
        Assert.Equal(0.34127, g, 4);
        Assert.Equal(0.07937, b, 4);
        Assert.Equal(1, a);
        Assert.Equal(0.7143, ThumbHash.AspectRatio(hash), 3);
    }

    /// <summary>
    /// Pictures drawn by <see cref="Synthetic"/>, hashed by the reference implementation (evanw's thumbhash
    /// 0.1.1 from npm, run on the same pixels): landscape and portrait, with and without alpha, at the
    /// extremes of the side ratio, a single pixel and a square.
    /// </summary>
    [Theory]
    [InlineData(100, 60, false, "DF070A3C9A707787707878777777808008F877", 1.75, 0.49471, 0.47884, 0.50265, 1.0)]
    [InlineData(90, 40, true, "1FF8892A941B8087808778808008F7885A6647A0487B87", 2.5, 0.48942, 0.50529, 0.48148, 0.73333)]
    [InlineData(100, 10, false, "E0F709319C81866570777778718018F878", 7, 0.49471, 0.51058, 0.51852, 1.0)]
    [InlineData(10, 100, true, "20F88929161B7080987888808108E87877787488780777", 0.2, 0.50529, 0.52116, 0.49735, 0.73333)]
    [InlineData(1, 1, false, "000802070000000000000000000000000000000000000000", 1, 0.01323, 0, 0, 1.0)]
    [InlineData(33, 33, true, "21F8892D141B70868088897675A0A008F87883877088887888", 1, 0.52116, 0.53704, 0.51323, 0.73333)]
    public void DrawnPicturesHashToTheReferenceImplementationsValues(
        int width, int height, bool alpha, string expected, double ratio, double r, double g, double b, double a)
    {
        var hash = ThumbHash.Encode(width, height, Synthetic(width, height, alpha ? Shading.Alpha : Shading.Opaque));

        Assert.Equal(expected, Convert.ToHexString(hash));
        Assert.Equal(ratio, ThumbHash.AspectRatio(hash), 3);
        var average = ThumbHash.AverageRgba(hash);
        Assert.Equal(r, average.R, 4);
        Assert.Equal(g, average.G, 4);
        Assert.Equal(b, average.B, 4);
        Assert.Equal(a, average.A, 4);
    }

    /// <summary>
    /// The two degenerate pictures, against the reference implementation: one wholly transparent (no colour to
    /// average: the average stays black instead of dividing by nothing) and one of a single colour (no detail:
    /// every AC factor is nought but for rounding, so only the header and the length are compared).
    /// </summary>
    [Fact]
    public void AWhollyTransparentAndASingleColourPictureHashToTheReferenceValues()
    {
        var clear = Enumerable.Repeat(new byte[] { 10, 20, 30, 0 }, 8 * 6).SelectMany(p => p).ToArray();
        var hash = ThumbHash.Encode(8, 6, clear);
        Assert.Equal("00088204800000000000000000000000000000000000000000", Convert.ToHexString(hash));
        Assert.Equal(0, ThumbHash.AverageRgba(hash).A);

        var uniform = Enumerable.Repeat(new byte[] { 200, 100, 50, 255 }, 12 * 9).SelectMany(p => p).ToArray();
        hash = ThumbHash.Encode(12, 9, uniform);
        // The header agrees byte for byte; the AC nibbles are rounding noise blown up by the scale (no
        // detail to record), and differ between JavaScript's and .NET's cosines.
        Assert.Equal("1DCB020580", Convert.ToHexString(hash)[..10]);
        Assert.Equal(21, hash.Length);
        var (r, g, b, a) = ThumbHash.AverageRgba(hash);
        Assert.Equal((0.79101, 0.39418, 0.19577, 1.0), (Math.Round(r, 5), Math.Round(g, 5), Math.Round(b, 5), a));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(10, 101)]
    public void AMissingOrTooLongSideIsRefused(int width, int height)
        => Assert.Throws<ArgumentOutOfRangeException>(() => ThumbHash.Encode(width, height, new byte[40_400]));

    [Fact]
    public void FewerBytesThanThePictureNeedsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ThumbHash.Encode(10, 10, new byte[10 * 10 * 4 - 1]));
        Assert.Equal(ThumbHash.Encode(10, 10, Synthetic(10, 10, Shading.Opaque)), ThumbHash.Encode(10, 10, [.. Synthetic(10, 10, Shading.Opaque), 1, 2, 3, 4]));
    }

    internal enum Shading
    {
        Opaque,
        Alpha,
        Dark,
    }

    /// <summary>
    /// RGBA pixels from integer formulas (the same ones the reference values were computed from): red rises
    /// left to right, green top to bottom, blue in stripes; <see cref="Shading.Alpha"/> makes every other
    /// pixel partly transparent, <see cref="Shading.Dark"/> keeps every channel under 8.
    /// </summary>
    internal static byte[] Synthetic(int width, int height, Shading shading)
    {
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 4;
                if (shading == Shading.Dark)
                {
                    (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = ((byte)(x % 8), (byte)(y % 8), (byte)((x + y) % 8), 255);
                    continue;
                }

                pixels[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                pixels[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                pixels[i + 2] = (byte)((x * 7 + y * 13) % 256);
                pixels[i + 3] = shading == Shading.Alpha && (x + y) % 2 != 0 ? (byte)((x * 3 + y * 5) % 256) : (byte)255;
            }
        }

        return pixels;
    }

    [Fact]
    public void PicturesLargerThanAHundredPixelsAreRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ThumbHash.Encode(101, 10, new byte[101 * 10 * 4]));

    internal static (byte[] Rgba, int Width, int Height) Pixels(string resource)
    {
        VipsLimits.Apply();
        using var image = Image.NewFromFile(Path.Combine(AppContext.BaseDirectory, "Resources", resource), access: Enums.Access.Sequential);
        using var srgb = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        using var rgba = srgb.HasAlpha() ? srgb.Copy() : srgb.Bandjoin(255);
        using var bytes = rgba.Cast(Enums.BandFormat.Uchar);
        return (bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height);
    }
}
