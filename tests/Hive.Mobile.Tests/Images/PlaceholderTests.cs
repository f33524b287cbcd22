using Hive.Mobile.Images;

namespace Hive.Mobile.Tests.Images;

/// <summary>The placeholder decoders against the published reference values.</summary>
public sealed class PlaceholderTests
{
    [Fact]
    public void TheFlowerThumbHashDecodesToTheReferenceSizeAndColour()
    {
        // jzebedee/ThumbHash test resources, checked with evanw's JS: flower.jpg (75×100).
        var hash = Convert.FromHexString("934A062D069256C374055867DA8AB6679490510719");

        var bitmap = ThumbHash.ToRgba(hash);
        var (r, g, b, a) = ThumbHash.AverageRgba(hash);

        Assert.Equal((23, 32), (bitmap.Width, bitmap.Height));
        Assert.Equal(23 * 32 * 4, bitmap.Rgba.Length);
        Assert.Equal(0.48413, r, 4);
        Assert.Equal(0.34127, g, 4);
        Assert.Equal(0.07937, b, 4);
        Assert.Equal(1, a);
        Assert.Equal(0.7143, ThumbHash.ApproximateAspectRatio(hash), 4);
        Assert.True(ThumbHash.IsWellFormed(hash));
        Assert.False(ThumbHash.IsWellFormed(hash.AsSpan(0, hash.Length - 1)));
        Assert.All(Enumerable.Range(0, 23 * 32), i => Assert.Equal(255, bitmap.Rgba[(i * 4) + 3]));
    }

    [Fact]
    public void TheTuxThumbHashWithAlphaDecodesToTheReferenceSize()
    {
        var hash = Convert.FromHexString("A1198A1C02383A25D727F68B971FF7F9717F80376758987906");

        var bitmap = ThumbHash.ToRgba(hash);

        Assert.Equal((26, 32), (bitmap.Width, bitmap.Height));
        Assert.Equal(0.8, ThumbHash.ApproximateAspectRatio(hash), 4);
        Assert.Equal(0.5333, ThumbHash.AverageRgba(hash).A, 4);
        // A penguin on transparency: some pixels are see-through, some are opaque.
        Assert.Contains(bitmap.Rgba.Where((_, i) => i % 4 == 3), alpha => alpha < 64);
        Assert.Contains(bitmap.Rgba.Where((_, i) => i % 4 == 3), alpha => alpha > 192);
    }

    [Fact]
    public void AThumbHashInBase64IsRecognisedAndDecodedEvenWhereItWouldPassForABlurHash()
    {
        // Alphanumeric only and 28 characters: exactly the length a BlurHash starting with 'k' would have.
        Assert.True(BlurHash.LooksLike("k0oGLQaSVsN0BVhn2oq2Z5SQUQcZ"));
        var bitmap = Placeholder.Decode("k0oGLQaSVsN0BVhn2oq2Z5SQUQcZ");

        Assert.NotNull(bitmap);
        Assert.Equal((23, 32), (bitmap.Width, bitmap.Height));
    }

    [Theory]
    [InlineData("LaJHjmVu8_~po#smR+a~xaoLWCRj")]
    [InlineData("LlMF%n00%#MwS|WCWEM{R*bbWBbH")]
    [InlineData("L99jAfM{13EfnOxZI=It9~WV-PxF")]
    public void AReferenceBlurHashDecodesAroundItsAverageColour(string hash)
    {
        var bitmap = Placeholder.Decode(hash);

        Assert.NotNull(bitmap);
        Assert.True(BlurHash.LooksLike(hash));
        Assert.Equal((32, 32), (bitmap.Width, bitmap.Height));
        var (r, g, b) = BlurHash.AverageColor(hash);
        // The AC terms move single pixels far from the average, but the image as a whole stays around it.
        Assert.InRange(Mean(bitmap.Rgba, 0), r - 40, r + 40);
        Assert.InRange(Mean(bitmap.Rgba, 1), g - 40, g + 40);
        Assert.InRange(Mean(bitmap.Rgba, 2), b - 40, b + 40);
        Assert.All(Enumerable.Range(0, 32 * 32), i => Assert.Equal(255, bitmap.Rgba[(i * 4) + 3]));
    }

    [Fact]
    public void TheShortestBlurHashIsOneColourEverywhere()
    {
        // Six characters: one component (the DC term, sRGB 0x804020) and nothing else.
        var bitmap = Placeholder.Decode("00Ew5T");

        Assert.NotNull(bitmap);
        Assert.Equal((0x80, 0x40, 0x20), BlurHash.AverageColor("00Ew5T"));
        Assert.All(Enumerable.Range(0, 32 * 32), i => Assert.Equal([0x80, 0x40, 0x20, 255], bitmap.Rgba.AsSpan(i * 4, 4).ToArray()));
        Assert.Throws<FormatException>(() => BlurHash.Decode("00Ew5", 4, 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a placeholder!")]
    [InlineData("LaJHjmVu8_~po#smR+a~xaoLWCR")]
    [InlineData("LaJHjmVu8_~po#smR+a~xaoLWCR ")]
    public void SomethingThatIsNoPlaceholderDecodesToNothing(string? text) => Assert.Null(Placeholder.Decode(text));

    private static double Mean(byte[] rgba, int channel) => rgba.Where((_, i) => i % 4 == channel).Average(v => (double)v);
}
