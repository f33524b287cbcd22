using Media.Api.Delivery;
using Media.Api.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Media.Api.Tests.Storage;

/// <summary>
/// The two folders media keeps on disk, in process on a folder of their own: the store of originals and the
/// rendering cache with its byte budget, least recently read first out.
/// </summary>
public sealed class FolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hive-media-folders-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task TheStoreKeepsReplacesAndDeletesOriginalsUnderItsRootOnly()
    {
        var store = new LocalFolderMediaStore(Options.Create(new MediaOptions { DataRoot = _root }));

        Assert.Null(await store.GetAsync("originals/1/a.jpg", CancellationToken.None));
        await store.PutAsync("originals/1/a.jpg", new byte[] { 1, 2, 3 }, CancellationToken.None);
        Assert.Equal([1, 2, 3], await store.GetAsync("originals/1/a.jpg", CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(_root, "store", "originals", "1", "a.jpg")));

        await store.PutAsync("originals/1/a.jpg", new byte[] { 4 }, CancellationToken.None);
        Assert.Equal([4], await store.GetAsync("originals/1/a.jpg", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));

        await store.DeleteAsync("originals/1/a.jpg", CancellationToken.None);
        Assert.Null(await store.GetAsync("originals/1/a.jpg", CancellationToken.None));
        await store.DeleteAsync("originals/1/a.jpg", CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../outside.jpg", new byte[] { 1 }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("originals/../../outside.jpg", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync("/etc/passwd", CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_root, "outside.jpg")));
    }

    [Fact]
    public void TheRenderingCacheKeepsEachProductsRenderingsAndDropsThemTogether()
    {
        var cache = NewCache(budget: 1_000_000);

        Assert.Null(cache.TryRead(1, "small.webp"));
        cache.Write(1, "small.webp", new byte[100]);
        cache.Write(1, "large.webp", new byte[200]);
        cache.Write(2, "small.webp", new byte[50]);
        Assert.Equal(100, cache.TryRead(1, "small.webp")!.Length);
        Assert.Equal(350, cache.Bytes);

        cache.Write(1, "small.webp", new byte[10]);
        Assert.Equal(10, cache.TryRead(1, "small.webp")!.Length);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));

        cache.DropProduct(1);
        Assert.Null(cache.TryRead(1, "small.webp"));
        Assert.Null(cache.TryRead(1, "large.webp"));
        Assert.Equal(50, cache.TryRead(2, "small.webp")!.Length);
        Assert.Equal(50, cache.Bytes);
        cache.DropProduct(1);
        cache.DropProduct(3);

        // Another process (a restarted replica) finds what is on disk: renderings only, not stray files.
        cache.Write(2, "large.webp", new byte[70]);
        File.WriteAllBytes(Path.Combine(_root, "renderings", "2", "notes.txt"), new byte[1000]);
        Assert.Equal(120, NewCache(budget: 1_000_000).Bytes);
        Assert.Throws<ArgumentException>(() => cache.Write(2, "../../escape", new byte[1]));
    }

    [Fact]
    public void ACacheThatNeverWroteHoldsNothing()
    {
        var cache = NewCache(budget: 1_000);
        Assert.Equal(0, cache.Bytes);
        Assert.Null(cache.TryRead(1, "a"));
        cache.DropProduct(1);
        Assert.False(Directory.Exists(Path.Combine(_root, "renderings")));
    }

    [Fact]
    public void OverItsBudgetTheCacheRemovesTheLeastRecentlyReadRenderingsDownToNineTenths()
    {
        var cache = NewCache(budget: 1_000);
        cache.Write(1, "a", new byte[300]);
        cache.Write(1, "b", new byte[300]);
        cache.Write(1, "c", new byte[300]);
        Assert.Equal(900, cache.Bytes);

        // Written four hours ago and read since: a read now moves "a" to the front. The cache records the read
        // itself because a file system mounted noatime would not; on this machine's relatime mount the kernel
        // records it too (setting the times moved the ctime past the atime), so only noatime tells them apart.
        var now = DateTime.UtcNow;
        foreach (var (name, hours) in new[] { ("a", -3), ("b", -2), ("c", -1) })
        {
            File.SetLastWriteTimeUtc(PathOf(name), now.AddHours(-4));
            File.SetLastAccessTimeUtc(PathOf(name), now.AddHours(hours));
        }

        Assert.NotNull(cache.TryRead(1, "a"));

        cache.Write(1, "d", new byte[300]); // 1,200 > 1,000: down to 900 or less
        Assert.Null(cache.TryRead(1, "b"));
        Assert.NotNull(cache.TryRead(1, "a"));
        Assert.NotNull(cache.TryRead(1, "c"));
        Assert.NotNull(cache.TryRead(1, "d"));
        Assert.Equal(900, cache.Bytes);

        cache.Write(1, "e", new byte[100]); // exactly the budget: nothing goes
        Assert.Equal(1_000, cache.Bytes);
        Assert.NotNull(cache.TryRead(1, "c"));
    }

    private DiskRenderingCache NewCache(long budget)
        => new(Options.Create(new MediaOptions { DataRoot = _root, DiskCacheBudgetBytes = budget }), NullLogger<DiskRenderingCache>.Instance);

    private string PathOf(string name) => Path.Combine(_root, "renderings", "1", name + ".bin");
}
