using System.Text.Json;
using System.Text.Json.Serialization;
using Hive.Mobile.Images;
using Hive.Mobile.Models;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>The SDK's image models and loader against the fleet's real media service, through the gateway.</summary>
[Collection(MobileFleetCollection.Name)]
public sealed class FleetImageTests(MobileFleetFixture fleet) : IDisposable
{
    private static readonly string[] NamedVariants = ["thumbnail", "small", "medium", "large", "full"];
    private readonly string _data = MobileClients.NewDataDirectory();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task MediasLiveVariantSetReadsIntoTheSdkModelWithNoFieldLeftOverOrMissing()
    {
        await using var client = MobileClients.Create(fleet.Gateway, _data);
        var (productId, image) = await ProductWithAnImageAsync(client, skip: 10);
        var json = await fleet.Direct.GetStringAsync($"/api/media/images/{ImageLoader.MediaImageId(image)}/variants");

        // Strict reading: a field media adds, drops, renames or nulls is an error here, not a silent default.
        var strict = new JsonSerializerOptions(HiveJsonContext.Default.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        var set = (ImageVariants)JsonSerializer.Deserialize(json, strict.GetTypeInfo(typeof(ImageVariants)))!;

        Assert.Equal(productId, set.ProductId);
        Assert.Equal(NamedVariants, set.Variants.Select(v => v.Name));
        Assert.All(set.Variants, v => Assert.Equal(["avif", "webp", "jpeg"], v.Formats.Select(f => f.Format)));
        Assert.NotNull(Placeholder.Decode(set.Placeholder.ThumbHash));
        Assert.NotNull(Placeholder.Decode(set.Placeholder.BlurHash));
        Assert.StartsWith("data:image/jpeg;base64,", set.Placeholder.DataUrl, StringComparison.Ordinal);
        Assert.Equal(set, await client.Media.Images.GetVariantsAsync(set.ImageId), VariantSetComparer.Instance);
    }

    [Fact]
    public async Task AProductImageLoadsProgressivelyInTheBestFormatAndASecondLoadNeedsNoRequest()
    {
        await using var client = MobileClients.Create(fleet.Gateway, _data, configure: o => o.PixelRatio = 2);
        var (_, image) = await ProductWithAnImageAsync(client, skip: 20);

        var frames = await LoadAsync(client, image);

        Assert.IsType<ImageFrame.Blurred>(frames[0]);
        var small = Assert.IsType<ImageFrame.Encoded>(frames[1]);
        var target = Assert.IsType<ImageFrame.Encoded>(frames[2]);
        Assert.Equal((150, false), (small.Width, small.IsFinal));
        Assert.Equal((320, true, "image/avif"), (target.Width, target.IsFinal, target.ContentType));
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(target.Bytes, 4, 4));

        var sent = client.Statistics.RequestsSent;
        var again = await LoadAsync(client, image);
        Assert.Equal(sent, client.Statistics.RequestsSent);
        Assert.True(Assert.IsType<ImageFrame.Encoded>(again[^1]).FromCache);
        Assert.Equal(target.Bytes, ((ImageFrame.Encoded)again[^1]).Bytes);
    }

    private async Task<(long ProductId, ProductImage Image)> ProductWithAnImageAsync(HiveClient client, int skip)
    {
        for (var i = skip; i < skip + 10; i++)
        {
            var (productId, _, _) = await MobileClients.ActiveProductAsync(fleet.Direct, skip: i);
            if ((await client.Catalog.ProductAsync(productId)).Value.Images is [var first, ..])
            {
                return (productId, first);
            }
        }

        throw new InvalidOperationException($"None of the demo products {skip}..{skip + 9} has an image.");
    }

    private static async Task<List<ImageFrame>> LoadAsync(HiveClient client, ProductImage image)
    {
        var frames = new List<ImageFrame>();
        await foreach (var frame in client.Media.Images.LoadAsync(image, 160, 160))
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Records holding lists compare by reference; these compare by what they say.</summary>
    private sealed class VariantSetComparer : IEqualityComparer<ImageVariants?>
    {
        public static readonly VariantSetComparer Instance = new();

        public bool Equals(ImageVariants? x, ImageVariants? y)
            => x is not null && y is not null
               && x with { Variants = [] } == y with { Variants = [] }
               && x.Variants.Select(v => (v.Name, v.Width, v.Height, v.Url, string.Join(",", v.Formats.Select(f => $"{f.Format}={f.Url}"))))
                   .SequenceEqual(y.Variants.Select(v => (v.Name, v.Width, v.Height, v.Url, string.Join(",", v.Formats.Select(f => $"{f.Format}={f.Url}")))));

        public int GetHashCode(ImageVariants? obj) => obj?.ImageId.GetHashCode() ?? 0;
    }
}
