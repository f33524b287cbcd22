using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

/// <summary>
/// Signs rendering URLs: HMAC-SHA256 over the canonical parameters (defaults filled in), base64url,
/// first 128 bits. Only URLs media handed out render; anything else is refused before any work.
/// </summary>
public sealed class UrlSigner
{
    private readonly byte[] _key;

    public UrlSigner(IOptions<MediaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = Encoding.UTF8.GetBytes(options.Value.UrlSigningKey);
    }

    public string Sign(string canonical)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(canonical), mac);
        return Base64Url.EncodeToString(mac[..16]);
    }

    public bool IsValid(string canonical, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(canonical));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
