using Media.Api.Placeholders;

namespace Media.Api.Tests.Placeholders;

/// <summary>
/// Against the values Wolt's C encoder gives for its sample pictures (REFERENCES.md, section 1), and for drawn
/// pictures against npm's blurhash 2.0.5 with its one known deviation from the C encoder mended (it takes the
/// largest AC factor without its absolute value, woltapp/blurhash#101; with abs() it agrees with the C
/// encoder on pic3).
/// </summary>
public sealed class BlurHashTests
{
    [Fact]
    public void Pic3EncodesToTheCEncodersValue()
    {
        var (rgba, width, height) = ThumbHashTests.Pixels("pic3.png");

        var hash = BlurHash.Encode(4, 3, width, height, rgba, 4);

        Assert.Equal("L99jAfM{13EfnOxZI=It9~WV-PxF", hash);
    }

    [Theory]
    [InlineData(9, 9, 32, 24, false, "|$Hewc2nwyX8a{ofWoofWol~WBjpe;fOe:fPe:fPgIfdfSfmfPflfPflfOn$WqjyfSfQfRfRfRfQe;fSfRfMfOfPfPfPfPocWnjrfOfTfRfRfRfReofSfRfSfSfNfPfPfPoxWnjsfPfOfNfSfPfRepfSfPfRfPfSfTfPfR")]
    [InlineData(5, 2, 40, 30, false, "D$HetU2r$1X8jtl}WVjsf8fO")]
    [InlineData(1, 4, 20, 20, false, "R$HoI4qMgDsD")]
    [InlineData(3, 1, 16, 8, true, "200cG#W;fQ")]
    [InlineData(1, 1, 16, 8, true, "000cG#")]
    [InlineData(4, 3, 12, 9, true, "L00Ss5j[SLW;nmf8a}axeof7fOf5")]
    public void DrawnPicturesEncodeToTheReferenceValueForEachComponentCount(int x, int y, int width, int height, bool dark, string expected)
    {
        var rgba = ThumbHashTests.Synthetic(width, height, dark ? ThumbHashTests.Shading.Dark : ThumbHashTests.Shading.Opaque);
        var rgb = rgba.Where((_, i) => i % 4 != 3).ToArray();

        Assert.Equal(expected, BlurHash.Encode(x, y, width, height, rgba, 4));
        Assert.Equal(expected, BlurHash.Encode(x, y, width, height, rgb, 3));
        Assert.Equal(4 + 2 * x * y, expected.Length);
    }

    [Theory]
    [InlineData(0, 3, 3)]
    [InlineData(10, 3, 3)]
    [InlineData(4, 0, 3)]
    [InlineData(4, 10, 3)]
    public void ComponentCountsOutsideOneToNineAreRefused(int x, int y, int channels)
        => Assert.Throws<ArgumentOutOfRangeException>(() => BlurHash.Encode(x, y, 4, 4, new byte[64], channels));

    [Theory]
    [InlineData(2, 48)]
    [InlineData(5, 80)]
    [InlineData(3, 47)]
    [InlineData(4, 63)]
    public void ChannelCountsOtherThanThreeOrFourAndShortBuffersAreRefused(int channels, int length)
        => Assert.Throws<ArgumentException>(() => BlurHash.Encode(4, 3, 4, 4, new byte[length], channels));

    [Fact]
    public void OneComponentHashIsJustTheAverageColour()
    {
        var pixels = Enumerable.Repeat(new byte[] { 255, 0, 0 }, 16).SelectMany(p => p).ToArray();

        var hash = BlurHash.Encode(1, 1, 4, 4, pixels, 3);

        // Size 0, no AC, DC = FF0000 in base83.
        Assert.Equal(6, hash.Length);
        Assert.StartsWith("00", hash, StringComparison.Ordinal);
    }
}
