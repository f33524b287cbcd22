using System.Buffers;

namespace Media.Api.Storage;

public static class StorageKeys
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_./");

    /// <summary>Throws unless the key is one media could have made: no '..', no leading '/', no odd characters.</summary>
    public static string Checked(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > 200 || key.AsSpan().ContainsAnyExcept(Allowed) || key.StartsWith('/') || key.EndsWith('/')
            || key.Split('/').Any(segment => segment is "" or "." or ".." || segment.StartsWith('.')))
        {
            throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));
        }

        return key;
    }

    public static string Original(long productId, Guid id, string extension) => $"originals/{productId}/{id:N}.{extension}";
}
