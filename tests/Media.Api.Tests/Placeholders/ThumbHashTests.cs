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
