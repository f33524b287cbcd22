using Media.Api.Placeholders;

namespace Media.Api.Tests.Placeholders;

/// <summary>Against the values Wolt's C encoder gives for its sample pictures (REFERENCES.md, section 1).</summary>
public sealed class BlurHashTests
{
    [Fact]
    public void Pic3EncodesToTheCEncodersValue()
    {
        var (rgba, width, height) = ThumbHashTests.Pixels("pic3.png");

        var hash = BlurHash.Encode(4, 3, width, height, rgba, 4);

        Assert.Equal("L99jAfM{13EfnOxZI=It9~WV-PxF", hash);
    }

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
