using System.Buffers.Text;
using System.Text.Json;

namespace Hive.Mobile.Auth;

/// <summary>
/// Reads the subject of an identity token received straight from the token endpoint over the TLS channel,
/// which OpenID Connect Core (3.1.3.7) allows to use without checking its signature again.
/// </summary>
internal static class JwtPayload
{
    public static string? Subject(string? jwt)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: >= 2 })
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
