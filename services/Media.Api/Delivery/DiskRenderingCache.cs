using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

/// <summary>
/// Large renderings as files under <c>{DataRoot}/renderings/{productId}/</c>, within a byte budget:
/// past it, the least recently read files go until 90 % of the budget is left. A product's folder is
/// dropped whole when the product changes.
/// </summary>
public sealed partial class DiskRenderingCache
{
    private readonly string _root;
    private readonly long _budget;
    private readonly ILogger<DiskRenderingCache> _logger;
    private readonly Lock _trimGate = new();
    private long _bytes = -1;

    public DiskRenderingCache(IOptions<MediaOptions> options, ILogger<DiskRenderingCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(Path.Combine(options.Value.DataRoot, "renderings"));
        _budget = options.Value.DiskCacheBudgetBytes;
        _logger = logger;
    }

    /// <summary>Bytes the cache holds now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes) < 0 ? Scan() : Interlocked.Read(ref _bytes);

    public byte[]? TryRead(long productId, string name)
    {
        var path = PathOf(productId, name);
        try
        {
            var bytes = File.ReadAllBytes(path);
            // Most file systems here mount noatime: record the read ourselves for the LRU.
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(long productId, string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var path = PathOf(productId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        if (Interlocked.Read(ref _bytes) < 0)
        {
            Scan();
        }
        else if (Interlocked.Add(ref _bytes, bytes.Length) > _budget)
        {
            Trim();
        }
    }

    public void DropProduct(long productId)
    {
        var folder = Path.Combine(_root, productId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Another replica or request dropped it first: the goal is reached.
        }

        Scan();
    }

    private void Trim()
    {
        lock (_trimGate)
        {
            var files = Files().OrderBy(f => f.LastAccessTimeUtc).ToList();
            var total = files.Sum(f => f.Length);
            var target = _budget * 9 / 10;
            var removed = 0;
            foreach (var file in files)
            {
                if (total <= target)
                {
                    break;
                }

                try
                {
                    // The length first: a FileInfo forgets its state on Delete, and reading Length then
                    // throws FileNotFoundException (an IOException), which emptied the whole cache.
                    var length = file.Length;
                    file.Delete();
                    total -= length;
                    removed++;
                }
                catch (IOException)
                {
                    // Being replaced this instant; the next trim sees it.
                }
            }

            Interlocked.Exchange(ref _bytes, total);
            LogTrimmed(_logger, removed, total, _budget);
        }
    }

    private long Scan()
    {
        var total = Files().Sum(f => f.Length);
        Interlocked.Exchange(ref _bytes, total);
        return total;
    }

    private IEnumerable<FileInfo> Files()
        => Directory.Exists(_root)
            ? new DirectoryInfo(_root).EnumerateFiles("*.bin", SearchOption.AllDirectories)
            : [];

    private string PathOf(long productId, string name)
        => Path.Combine(_root, productId.ToString(System.Globalization.CultureInfo.InvariantCulture), Storage.StorageKeys.Checked(name) + ".bin");

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk rendering cache trimmed: {Removed} files removed, {Bytes} bytes left of a {Budget}-byte budget")]
    private static partial void LogTrimmed(ILogger logger, int removed, long bytes, long budget);
}
