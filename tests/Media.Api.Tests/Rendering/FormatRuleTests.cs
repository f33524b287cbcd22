using System.Text;
using Media.Api.Imaging;
using Microsoft.AspNetCore.Http;

namespace Media.Api.Tests.Rendering;

/// <summary>
/// What an upload is, judged from its bytes: the four signatures at their edges (a header cut short, an
/// ISO-BMFF box whose brands name AVIF where they count and where they do not), the names and types each
/// format answers with, and what the header check lets through (size at its limit, orientations that swap
/// the sides, still pictures only).
/// </summary>
public sealed class FormatRuleTests
{
    [Theory]
    [InlineData(ImageFormat.Jpeg, "jpeg", "image/jpeg")]
    [InlineData(ImageFormat.Png, "png", "image/png")]
    [InlineData(ImageFormat.Webp, "webp", "image/webp")]
    [InlineData(ImageFormat.Avif, "avif", "image/avif")]
    public void EachFormatHasItsNameAndContentTypeAndIsReadBackFromItsName(ImageFormat format, string name, string contentType)
    {
        Assert.Equal(name, format.Name());
        Assert.Equal(contentType, format.ContentType());
        Assert.True(ImageFormats.TryParse(name, out var parsed));
        Assert.Equal(format, parsed);
        Assert.True(ImageFormats.TryParse(name.ToUpperInvariant(), out parsed));
        Assert.Equal(format, parsed);
    }

    [Fact]
    public void JpgIsJpegAndOtherNamesAreNotFormats()
    {
        Assert.True(ImageFormats.TryParse("jpg", out var format));
        Assert.Equal(ImageFormat.Jpeg, format);
        foreach (var text in new[] { null, "", "gif", "heic", "jpeg2000", " png" })
        {
            Assert.False(ImageFormats.TryParse(text, out _), text);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ((ImageFormat)42).Name());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ImageFormat)42).ContentType());
    }

    [Fact]
    public void ASignatureCutShortIsNoFormat()
    {
        Assert.Equal(ImageFormat.Jpeg, ImageFormats.Sniff([0xFF, 0xD8, 0xFF]));
        Assert.Null(ImageFormats.Sniff([0xFF, 0xD8]));
        Assert.Null(ImageFormats.Sniff([0xFF, 0xD8, 0xFE]));
        Assert.Null(ImageFormats.Sniff([0xFF, 0xD9, 0xFF]));
        Assert.Null(ImageFormats.Sniff([0xFE, 0xD8, 0xFF]));
        Assert.Equal(ImageFormat.Png, ImageFormats.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));
        Assert.Null(ImageFormats.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A]));
        Assert.Equal(ImageFormat.Webp, ImageFormats.Sniff("RIFF\0\0\0\0WEBP"u8));
        Assert.Null(ImageFormats.Sniff("RIFF\0\0\0\0WEB"u8));
        Assert.Null(ImageFormats.Sniff("RIFF\0\0\0\0WAVE"u8));
        Assert.Null(ImageFormats.Sniff("RIFX\0\0\0\0WEBP"u8));
    }

    [Theory]
    [InlineData(24, "avif", "mif1", ImageFormat.Avif)] // the major brand
    [InlineData(24, "avis", "mif1", ImageFormat.Avif)] // an image sequence is still AVIF (the inspector refuses it)
    [InlineData(24, "mif1", "avif", ImageFormat.Avif)] // a compatible brand
    [InlineData(24, "heic", "mif1", null)] // HEIC is not AVIF
    [InlineData(20, "mif1", "avif", ImageFormat.Avif)] // the box ends just after the brand
    [InlineData(19, "mif1", "avif", null)] // the box ends before the brand that names AVIF
    [InlineData(8, "avif", "mif1", ImageFormat.Avif)] // a box size under 16 is read as 16
    [InlineData(0x0100, "mif1", "avif", ImageFormat.Avif)] // a box larger than the bytes at hand: read to their end
    [InlineData(0x01_0000, "mif1", "avif", ImageFormat.Avif)]
    [InlineData(0x0100_0000, "mif1", "avif", ImageFormat.Avif)]
    public void AnFtypBoxIsAvifWhenItsMajorOrACompatibleBrandSaysSo(int boxSize, string major, string compatible, ImageFormat? expected)
        => Assert.Equal(expected, ImageFormats.Sniff(Ftyp(boxSize, major, minor: "\0\0\0\0", compatible)));

    [Fact]
    public void AvifInTheMinorVersionIsNotABrand()
    {
        Assert.Equal(ImageFormat.Avif, ImageFormats.Sniff(Ftyp(16, "avif", minor: "\0\0\0\0", "heic")[..16]));
        Assert.Null(ImageFormats.Sniff(Ftyp(24, "mif1", minor: "avif", "heic")));
        Assert.Null(ImageFormats.Sniff(Ftyp(24, "avif", minor: "\0\0\0\0", "heic")[..15]));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("avif")]
    public void TheHeaderGivesFormatAndSizeAndTheLimitIsInclusive(string kind)
    {
        var bytes = kind switch
        {
            "jpeg" => Pictures.Jpeg(30, 20),
            "png" => Pictures.Png(30, 20),
            "webp" => Pictures.Webp(30, 20),
            _ => Pictures.Avif(30, 20),
        };
        Assert.True(ImageFormats.TryParse(kind, out var format));

        Assert.Equal(new ImageHeader(format, 30, 20), OriginalInspector.Inspect(bytes, maxPixels: 600));
        var refused = Assert.Throws<ImageRejectedException>(() => OriginalInspector.Inspect(bytes, maxPixels: 599));
        Assert.Contains("30×20", refused.Message, StringComparison.Ordinal);
        Assert.Equal("file", refused.Field);
    }

    [Theory]
    [InlineData(1, 30, 20)]
    [InlineData(2, 30, 20)]
    [InlineData(4, 30, 20)]
    [InlineData(5, 20, 30)]
    [InlineData(6, 20, 30)]
    [InlineData(7, 20, 30)]
    [InlineData(8, 20, 30)]
    public void OrientationsFiveToEightSwapTheSidesAsDisplayed(int orientation, int width, int height)
        => Assert.Equal(new ImageHeader(ImageFormat.Jpeg, width, height), OriginalInspector.Inspect(Pictures.Jpeg(30, 20, orientation), 10_000));

    [Fact]
    public void AnimationsCorruptFilesAndOtherBytesAreRefusedWithTheirReason()
    {
        var animated = Assert.Throws<ImageRejectedException>(() => OriginalInspector.Inspect(Pictures.AnimatedWebp(16, 16, 3), 10_000));
        Assert.Contains("3 frames", animated.Message, StringComparison.Ordinal);
        Assert.Equal(("file", 400), (animated.Field, animated.Status));

        var sequence = Pictures.Avif(16, 16);
        "avis"u8.CopyTo(sequence.AsSpan(8));
        var avis = Assert.Throws<ImageRejectedException>(() => OriginalInspector.Inspect(sequence, 10_000));
        Assert.Contains("Animated AVIF", avis.Message, StringComparison.Ordinal);
        Assert.Equal(("file", 400), (avis.Field, avis.Status));

        var jpeg = Pictures.Jpeg(30, 20);
        var corrupt = Assert.Throws<ImageRejectedException>(() => OriginalInspector.Inspect(jpeg[..12], 10_000));
        Assert.StartsWith("The jpeg file cannot be read: ", corrupt.Message, StringComparison.Ordinal);
        Assert.Equal("file", corrupt.Field);
        Assert.DoesNotContain('\n', corrupt.Message);

        var text = Assert.Throws<ImageRejectedException>(() => OriginalInspector.Inspect("just some text"u8.ToArray(), 10_000));
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, text.Status);
        Assert.Contains("not a JPEG, PNG, WebP or AVIF", text.Message, StringComparison.Ordinal);
        Assert.Equal("file", text.Field);
        Assert.Equal(StatusCodes.Status400BadRequest, corrupt.Status);
    }

    /// <summary>
    /// libvips decodes only the four formats media accepts: a GIF or a PPM handed to libvips directly (past the
    /// byte sniffing) is refused by libvips itself, so a loader bug in a format nobody needs cannot be reached.
    /// </summary>
    [Fact]
    public void LibvipsDecodesOnlyTheFourAcceptedFormats()
    {
        VipsLimits.Apply();
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];
        byte[] ppm = [.. "P6 1 1 255\n"u8, 255, 0, 0];

        Assert.ThrowsAny<NetVips.VipsException>(() => NetVips.Image.NewFromBuffer(gif).Avg());
        Assert.ThrowsAny<NetVips.VipsException>(() => NetVips.Image.NewFromBuffer(ppm).Avg());
        foreach (var accepted in new[] { Pictures.Jpeg(8, 8), Pictures.Png(8, 8), Pictures.Webp(8, 8), Pictures.Avif(8, 8) })
        {
            using var image = NetVips.Image.NewFromBuffer(accepted);
            Assert.Equal(8, image.Width);
        }
    }

    [Fact]
    public void AnErrorsFirstNonEmptyLineIsKeptAndClippedTo200Characters()
    {
        Assert.Equal("first", OriginalInspector.FirstLine("\n  \n first \nsecond"));
        Assert.Equal("unreadable", OriginalInspector.FirstLine("\n \n"));
        Assert.Equal(new string('x', 200), OriginalInspector.FirstLine(new string('x', 250)));
        Assert.Equal(new string('x', 200), OriginalInspector.FirstLine(new string('x', 200)));
    }

    private static byte[] Ftyp(int boxSize, string major, string minor, string compatible)
    {
        var bytes = new byte[24];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, boxSize);
        Encoding.ASCII.GetBytes("ftyp" + major + minor + compatible).CopyTo(bytes, 4);
        return bytes;
    }
}
