using System.Text.Json;
using Hive.Mobile.Images;

namespace Hive.Mobile.Tests.Images;

/// <summary>
/// The placeholder decoders draw what the reference implementations draw, byte for byte: Evan Wallace's
/// ThumbHash JavaScript and Wolt's BlurHash TypeScript, run once on these hashes (Reference/make-decodes.mjs
/// wrote Reference/decodes.json). A phone shows these pixels for every image until its bytes arrive.
/// </summary>
public sealed class ReferenceDecodeTests
{
    private static readonly JsonElement Decodes = LoadDecodes();

    /// <summary>Portrait and landscape, opaque and with alpha (the landscape ones encoded from drawn gradients).</summary>
    public static TheoryData<string> ThumbHashes => [.. Decodes.EnumerateObject().Where(p => p.Name.StartsWith("th:", StringComparison.Ordinal)).Select(p => p.Name[3..])];

    [Theory]
    [MemberData(nameof(ThumbHashes))]
    public void AThumbHashDrawsWhatTheReferenceDraws(string hex)
    {
        var reference = Decodes.GetProperty("th:" + hex);
        var hash = Convert.FromHexString(hex);

        var bitmap = ThumbHash.ToRgba(hash);
        var (r, g, b, a) = ThumbHash.AverageRgba(hash);

        Assert.Equal((reference.GetProperty("w").GetInt32(), reference.GetProperty("h").GetInt32()), (bitmap.Width, bitmap.Height));
        AssertSamePixels(reference.GetProperty("rgba").GetBytesFromBase64(), bitmap.Rgba, bitmap.Width);
        var average = reference.GetProperty("avg");
        Assert.Equal(average.GetProperty("r").GetDouble(), r, 12);
        Assert.Equal(average.GetProperty("g").GetDouble(), g, 12);
        Assert.Equal(average.GetProperty("b").GetDouble(), b, 12);
        Assert.Equal(average.GetProperty("a").GetDouble(), a, 12);
        Assert.Equal(reference.GetProperty("ratio").GetDouble(), ThumbHash.ApproximateAspectRatio(hash), 12);
    }

    [Theory]
    [MemberData(nameof(ThumbHashes))]
    public void AThumbHashIsWellFormedAtItsOwnLengthOnlyAndIsReadFromBase64WithOrWithoutPadding(string hex)
    {
        var hash = Convert.FromHexString(hex);
        var base64 = Convert.ToBase64String(hash);
        var url = base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.True(ThumbHash.IsWellFormed(hash));
        Assert.False(ThumbHash.IsWellFormed(hash.AsSpan(0, hash.Length - 1)));
        Assert.False(ThumbHash.IsWellFormed([.. hash, 0]));
        Assert.True(ThumbHash.TryFromBase64(base64, out var fromPadded));
        Assert.Equal(hash, fromPadded);
        Assert.True(ThumbHash.TryFromBase64(url, out var fromUrl));
        Assert.Equal(hash, fromUrl);
        Assert.Equal(ThumbHash.ToRgba(hash).Rgba, Placeholder.Decode(url)!.Rgba);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("AAAAAA")]
    [InlineData("not base64 at all!")]
    public void TooShortOrNotBase64IsNoThumbHash(string text)
    {
        Assert.False(ThumbHash.TryFromBase64(text, out var hash));
        Assert.Empty(hash);
        Assert.False(ThumbHash.IsWellFormed([0, 0, 0, 0]));
    }

    [Theory]
    [InlineData("LaJHjmVu8_~po#smR+a~xaoLWCRj", 1)]
    [InlineData("LlMF%n00%#MwS|WCWEM{R*bbWBbH", 1)]
    [InlineData("L99jAfM{13EfnOxZI=It9~WV-PxF", 1)]
    [InlineData("LaJHjmVu8_~po#smR+a~xaoLWCRj", 3)]
    public void ABlurHashDrawsWhatTheReferenceDraws(string hash, double punch)
    {
        var reference = Decodes.GetProperty($"bh:{hash}:{punch}").GetProperty("rgba").GetBytesFromBase64();

        var bitmap = BlurHash.Decode(hash, 32, 32, punch);

        Assert.Equal((32, 32), (bitmap.Width, bitmap.Height));
        AssertSamePixels(reference, bitmap.Rgba, 32);
    }

    private static void AssertSamePixels(byte[] expected, byte[] actual, int width)
    {
        Assert.Equal(expected.Length, actual.Length);
        var first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => expected[i] != actual[i], -1);
        var pixel = first / 4;
        Assert.True(first < 0, $"pixel ({pixel % width}, {pixel / width}) channel {first % 4}: reference {expected[Math.Max(first, 0)]}, decoded {actual[Math.Max(first, 0)]}");
    }

    private static JsonElement LoadDecodes()
    {
        using var stream = typeof(ReferenceDecodeTests).Assembly.GetManifestResourceStream("Hive.Mobile.Tests.Images.Reference.decodes.json")!;
        return JsonDocument.Parse(stream).RootElement.Clone();
    }
}
