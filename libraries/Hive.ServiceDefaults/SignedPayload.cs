using System.Buffers.Text;
using System.Security.Cryptography;

namespace Hive.ServiceDefaults;

/// <summary>
/// Opaque, tamper-evident tokens for clients (list and search cursors): base64url(body ‖ truncated
/// HMAC-SHA256). A token that was altered, truncated or signed with another key does not open.
/// </summary>
public static class SignedPayload
{
    public static string Seal(ReadOnlySpan<byte> body, byte[] key, int macLength)
    {
        var mac = HMACSHA256.HashData(key, body).AsSpan(0, macLength);
        return Base64Url.EncodeToString([.. body, .. mac]);
    }

    /// <summary>The body of a token this key sealed, or null for anything else.</summary>
    public static byte[]? TryOpen(string text, byte[] key, int macLength, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 || text.Length > maxLength || !Base64Url.IsValid(text))
        {
            return null;
        }

        var raw = Base64Url.DecodeFromChars(text);
        if (raw.Length <= macLength)
        {
            return null;
        }

        var body = raw.AsSpan(0, raw.Length - macLength);
        var expected = HMACSHA256.HashData(key, body).AsSpan(0, macLength);
        return CryptographicOperations.FixedTimeEquals(expected, raw.AsSpan(raw.Length - macLength)) ? body.ToArray() : null;
    }
}
