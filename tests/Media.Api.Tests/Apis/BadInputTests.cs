using System.Buffers.Binary;
using System.Diagnostics;
using Media.Api.Imaging;

namespace Media.Api.Tests.Apis;

[Collection(MediaCollection.Name)]
public sealed class BadInputTests(MediaFixture fixture)
{
    [Fact]
    public async Task TextIsNotAPictureWhateverItsName()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var response = await seller.UploadAsync(1, "hello, not a picture"u8.ToArray(), "photo.jpg");

        await response.AssertProblemAsync(415, "file");
    }

    [Fact]
    public async Task TruncatedJpegIsRefused()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var whole = Pictures.Jpeg(600, 400);

        using var response = await seller.UploadAsync(1, whole[..(whole.Length / 2)]);

        await response.AssertProblemAsync(400, "file");
    }

    [Fact]
    public async Task HeaderDeclaring60000By60000PixelsIsRefusedFastBeforeDecoding()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var png = Pictures.Png(10, 10);
        // Rewrite the IHDR size (and its CRC) to 60000×60000: the pixel data stays 10×10.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(12, 17)));
        var clock = Stopwatch.StartNew();

        using var response = await seller.UploadAsync(1, png, "bomb.png");

        await response.AssertProblemAsync(400, "file");
        Assert.Contains("60000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AnimatedPictureIsRefused()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var response = await seller.UploadAsync(1, Pictures.AnimatedWebp(64, 64, 20), "anim.webp");

        await response.AssertProblemAsync(400, "file");
        Assert.Contains("frames", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileOverTheByteLimitIs413()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var big = new byte[5 * 1024 * 1024];
        Pictures.Jpeg(16, 16).CopyTo(big, 0);

        using var response = await seller.UploadAsync(1, big);

        await response.AssertProblemAsync(413, "file");
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("photo<script>.jpg")]
    [InlineData("a/b.jpg")]
    public async Task OddFileNamesAreRefused(string name)
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);

        using var response = await seller.UploadAsync(1, Pictures.Jpeg(32, 32), name);

        await response.AssertProblemAsync(400, "file");
    }

    [Fact]
    public async Task AFormWithoutAFilePartIsA400NamingFile()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        using var form = new MultipartFormDataContent { { new StringContent("a kikoi"), "altText" } };

        using var response = await seller.PostAsync("/api/media/products/1/images", form);

        await response.AssertProblemAsync(400, "file");
    }

    [Theory]
    [InlineData("w=0", "w")]
    [InlineData("w=4097", "w")]
    [InlineData("h=-5", "h")]
    [InlineData("w=abc", "w")]
    [InlineData("format=gif", "format")]
    [InlineData("fit=squash", "fit")]
    [InlineData("gravity=up", "gravity")]
    [InlineData("q=0", "q")]
    [InlineData("q=101", "q")]
    [InlineData("url=http://169.254.169.254/", "url")]
    public async Task BadRenderingParametersAre400NamingTheField(string query, string field)
    {
        using var response = await fixture.Anonymous().GetImageAsync($"/api/media/images/1?{query}&sig=x");

        await response.AssertProblemAsync(400, field);
    }

    [Theory]
    [InlineData("maxWidth=0", "maxWidth")]
    [InlineData("maxWidth=99999", "maxWidth")]
    [InlineData("maxWidth=ten", "maxWidth")]
    [InlineData("aspectRatio=banana", "aspectRatio")]
    [InlineData("aspectRatio=100", "aspectRatio")]
    [InlineData("sizes=%3Cscript%3E", "sizes")]
    public async Task BadResponsiveParametersAre400NamingTheField(string query, string field)
    {
        using var response = await fixture.Anonymous().GetImageAsync($"/api/media/images/1/responsive?{query}");

        await response.AssertProblemAsync(400, field);
    }

    [Fact]
    public void SniffingReadsTheFourFormatsAndNothingElse()
    {
        Assert.Equal(ImageFormat.Jpeg, ImageFormats.Sniff(Pictures.Jpeg(8, 8)));
        Assert.Equal(ImageFormat.Png, ImageFormats.Sniff(Pictures.Png(8, 8)));
        Assert.Equal(ImageFormat.Webp, ImageFormats.Sniff(Pictures.Webp(8, 8)));
        Assert.Equal(ImageFormat.Avif, ImageFormats.Sniff(Pictures.Avif(8, 8)));
        Assert.Null(ImageFormats.Sniff("GIF89a......"u8));
        Assert.Null(ImageFormats.Sniff([]));
    }
}
