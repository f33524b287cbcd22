namespace Media.Api.Storage;

/// <summary>
/// Where originals live. Keys are made by media (never by clients): lower-case letters, digits, '-',
/// '_', '.' and '/' between segments. A local folder implements it; an object store could.
/// </summary>
public interface IMediaStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when nothing is stored under the key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
