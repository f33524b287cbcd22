using Microsoft.Extensions.Options;

namespace Media.Api.Storage;

/// <summary>
/// Originals as files under <c>{DataRoot}/store</c>. Writes go to a temporary file first and are moved
/// into place, so a reader never sees half a file.
/// </summary>
public sealed class LocalFolderMediaStore(IOptions<MediaOptions> options) : IMediaStore
{
    private readonly string _root = Path.GetFullPath(Path.Combine(options.Value.DataRoot, "store"));

    public async Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, StorageKeys.Checked(key)));
        // Belt and braces: a checked key cannot leave the root, and this proves it.
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{key}' leaves the store.", nameof(key));
    }
}
