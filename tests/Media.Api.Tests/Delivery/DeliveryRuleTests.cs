using Media.Api.Data;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Media.Api.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Media.Api.Tests.Delivery;

/// <summary>
/// The rules around a delivery, in process: which format <c>format=auto</c> picks from an Accept header,
/// which storage keys media accepts, how many renders run at once and what a full queue answers, and the
/// URLs media hands out (signed here, or Cloudinary's).
/// </summary>
public sealed class DeliveryRuleTests
{
    private static readonly MediaImage Image = new(7, 42, 3, 5, "originals/42/abc.jpg", "image/jpeg", 1200, 800, 1000, "data:", "L00000fQfQfQ", 0, "a basket");

    [Theory]
    [InlineData(null, ImageFormat.Jpeg)]
    [InlineData("", ImageFormat.Jpeg)]
    [InlineData("*/*", ImageFormat.Jpeg)]
    [InlineData("image/*", ImageFormat.Jpeg)]
    [InlineData("image/webp,*/*", ImageFormat.Webp)]
    [InlineData("image/avif,image/webp,*/*", ImageFormat.Avif)]
    [InlineData("IMAGE/AVIF", ImageFormat.Avif)]
    [InlineData("image/avif;q=0,image/webp", ImageFormat.Webp)]
    [InlineData("image/avif;q=0,image/webp;q=0", ImageFormat.Jpeg)]
    [InlineData("image/avif;q=0.1", ImageFormat.Avif)]
    [InlineData("image/avifx,image/webpx", ImageFormat.Jpeg)]
    public void AutoPicksAvifThenWebpThenJpegAsAcceptAllows(string? accept, ImageFormat expected)
        => Assert.Equal(expected, FormatNegotiation.Choose(accept is null ? null : [accept]));

    [Fact]
    public void AutoReadsEveryAcceptHeaderAndAnUnreadableOneMeansJpeg()
    {
        Assert.Equal(ImageFormat.Webp, FormatNegotiation.Choose(["text/html", "image/webp"]));
        Assert.Equal(ImageFormat.Jpeg, FormatNegotiation.Choose(["image/avif;q=oops=;;,,\""]));
    }

    [Theory]
    [InlineData("originals/42/0123abcd.jpg")]
    [InlineData("demo/basket_1-a.webp")]
    [InlineData("a")]
    public void KeysMediaMakesAreAccepted(string key) => Assert.Equal(key, StorageKeys.Checked(key));

    [Theory]
    [InlineData("")]
    [InlineData("/originals/a.jpg")]
    [InlineData("originals/")]
    [InlineData("originals//a.jpg")]
    [InlineData("originals/../etc/passwd")]
    [InlineData("originals/./a.jpg")]
    [InlineData("originals/.hidden")]
    [InlineData("Originals/a.jpg")]
    [InlineData("originals/a b.jpg")]
    [InlineData("originals\\a.jpg")]
    public void AnyOtherKeyIsRefused(string key) => Assert.ThrowsAny<ArgumentException>(() => StorageKeys.Checked(key));

    [Fact]
    public void AKeyIsAtMost200CharactersAndAnOriginalsKeyIsItsProductAndId()
    {
        Assert.Equal(200, StorageKeys.Checked(new string('a', 200)).Length);
        Assert.Throws<ArgumentException>(() => StorageKeys.Checked(new string('a', 201)));
        Assert.Throws<ArgumentNullException>(() => StorageKeys.Checked(null!));

        var id = Guid.Parse("0123456789abcdef0123456789abcdef");
        Assert.Equal("originals/42/0123456789abcdef0123456789abcdef.png", StorageKeys.Original(42, id, "png"));
        Assert.Equal(StorageKeys.Original(42, id, "png"), StorageKeys.Checked(StorageKeys.Original(42, id, "png")));
    }

    [Fact]
    public async Task NoMoreRendersRunAtOnceThanSlotsAndAFullQueueGivesUpAfterItsWait()
    {
        // Three: not this machine's core count, so the configured number is what holds.
        using var slots = new RenderSlots(Options.Create(new MediaOptions { MaxConcurrentRenders = 3, RenderQueueTimeout = TimeSpan.FromMilliseconds(200) }));
        using var release = new ManualResetEventSlim();
        var running = 0;
        var most = 0;
        int Work()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
            return now;
        }

        var held = Enumerable.Range(0, 3).Select(_ => slots.RunAsync(Work, CancellationToken.None)).ToList();
        var full = await Assert.ThrowsAsync<RenderQueueFullException>(() => slots.RunAsync(() => 0, CancellationToken.None));
        Assert.Contains("busy", full.Message, StringComparison.Ordinal);

        // All three render at once (the pool may take a moment to give the third its thread).
        for (var waited = 0; Volatile.Read(ref running) < 3 && waited < 3000; waited++)
        {
            await Task.Delay(10);
        }

        release.Set();
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, most);

        // Slots come back, also from a render that failed; a caller that gives up is not held.
        await Assert.ThrowsAsync<InvalidOperationException>(() => slots.RunAsync<int>(() => throw new InvalidOperationException("broken"), CancellationToken.None));
        Assert.Equal(3, await slots.RunAsync(() => 3, CancellationToken.None));
        Assert.Equal(4, await slots.RunAsync(() => 4, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.RunAsync(() => 5, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task WithoutAConfiguredCountThereIsASlotPerCore()
    {
        using var slots = new RenderSlots(Options.Create(new MediaOptions { RenderQueueTimeout = TimeSpan.FromMilliseconds(100) }));
        using var release = new ManualResetEventSlim();
        var held = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => slots.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None)).ToList();

        await Assert.ThrowsAsync<RenderQueueFullException>(() => slots.RunAsync(() => true, CancellationToken.None));
        release.Set();
        Assert.All(await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(30)), Assert.True);
    }

    [Fact]
    public void AServiceUrlIsRelativeAndCarriesASignatureOfItsOwnRequest()
    {
        var options = Options.Create(new MediaOptions { UrlSigningKey = "a-key-of-thirty-two-characters!!" });
        var signer = new UrlSigner(options);
        var urls = new MediaUrls(signer, options);

        var url = urls.For(Image, 300, 200, Fit.Cover, Gravity.North, 70, ImageFormat.Webp);
        Assert.False(urls.CloudinaryMode);
        Assert.StartsWith("/api/media/images/7?", url, StringComparison.Ordinal);
        var query = QueryOf(url);
        Assert.True(RenderRequest.TryParse(7, query, 4096, out var request, out _));
        Assert.Equal(new RenderRequest(7, 5, 300, 200, 70, ImageFormat.Webp, Fit.Cover, Gravity.North), request);
        Assert.True(signer.IsValid(request.Canonical, query["sig"]));
        Assert.False(new UrlSigner(Options.Create(new MediaOptions { UrlSigningKey = "another-key-of-32-characters!!!!" })).IsValid(request.Canonical, query["sig"]));

        var variant = QueryOf(urls.Variant(Image, NamedVariant.Find("small")!, null));
        Assert.True(RenderRequest.TryParse(7, variant, 4096, out var small, out _));
        Assert.Equal(new RenderRequest(7, 5, 320, 320, null, null, Fit.Cover, Gravity.Centre), small);
        Assert.True(signer.IsValid(small.Canonical, variant["sig"]));
    }

    [Fact]
    public void InCloudinaryModeUrlsAreCloudinarysWithTheSameTransformation()
    {
        var options = Options.Create(new MediaOptions { UrlSigningKey = "k", Cloudinary = new CloudinaryOptions { CloudName = "hive-demo" } });
        var urls = new MediaUrls(new UrlSigner(options), options);

        Assert.True(urls.CloudinaryMode);
        Assert.Equal("hive/products/42/7", MediaUrls.CloudinaryPublicId(Image));
        Assert.Equal("https://res.cloudinary.com/hive-demo/image/upload/c_fill,f_webp,g_north,h_200,q_70,w_300/v5/hive/products/42/7", urls.For(Image, 300, 200, Fit.Cover, Gravity.North, 70, ImageFormat.Webp));
        Assert.Equal("https://res.cloudinary.com/hive-demo/image/upload/c_fill,f_auto,g_center,h_150,q_auto,w_150/v5/hive/products/42/7", urls.Variant(Image, NamedVariant.Find("thumbnail")!, null));
    }

    [Fact]
    public void TheNamedVariantsAreFoundByTheirExactName()
    {
        Assert.Equal(["thumbnail", "small", "medium", "large", "full"], NamedVariant.All.Select(v => v.Name));
        Assert.Equal(1024, NamedVariant.Find("large")!.Size);
        Assert.Null(NamedVariant.Find("LARGE"));
        Assert.Null(NamedVariant.Find("huge"));
    }

    private static IQueryCollection QueryOf(string url)
        => new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[url.IndexOf('?', StringComparison.Ordinal)..]));

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var before && before != seen)
        {
            seen = before;
        }
    }
}
