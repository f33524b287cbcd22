using Microsoft.Extensions.Primitives;

namespace Hive.Caching;

/// <summary>
/// The two request headers a cached answer depends on, read from the raw strings without building typed
/// header objects: this runs on every hit.
/// </summary>
public static class HttpCoding
{
    /// <summary>Brotli when the client accepts it, else gzip, else identity (RFC 9110 12.5.3; q=0 refuses).</summary>
    public static ContentCoding Choose(StringValues acceptEncoding)
    {
        var brotli = false;
        var gzip = false;
        foreach (var header in acceptEncoding)
        {
            var text = (header ?? string.Empty).AsSpan();
            foreach (var range in text.Split(','))
            {
                var item = text[range];
                var semicolon = item.IndexOf(';');
                var name = (semicolon < 0 ? item : item[..semicolon]).Trim();
                if (semicolon >= 0 && Refused(item[(semicolon + 1)..]))
                {
                    continue;
                }

                brotli |= name.Equals("br", StringComparison.OrdinalIgnoreCase);
                gzip |= name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("*", StringComparison.Ordinal);
            }
        }

        return brotli ? ContentCoding.Brotli : gzip ? ContentCoding.Gzip : ContentCoding.Identity;
    }

    /// <summary>
    /// Whether If-None-Match names the entry (weak comparison, RFC 9110 13.1.2), in any of its codings: a
    /// client holding the gzip variant holds the same data as one holding the identity body.
    /// </summary>
    public static bool Matches(StringValues ifNoneMatch, string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        var opaque = etag.AsSpan(1, etag.Length - 2);
        foreach (var header in ifNoneMatch)
        {
            var text = (header ?? string.Empty).AsSpan();
            foreach (var range in text.Split(','))
            {
                var candidate = text[range].Trim();
                if (candidate.SequenceEqual("*"))
                {
                    return true;
                }

                if (candidate.StartsWith("W/", StringComparison.Ordinal))
                {
                    candidate = candidate[2..];
                }

                if (candidate.Length < 2 || candidate[0] != '"' || candidate[^1] != '"')
                {
                    continue;
                }

                var value = candidate[1..^1];
                if (value.StartsWith(opaque, StringComparison.Ordinal)
                    && (value.Length == opaque.Length || value[opaque.Length..] is "-br" or "-gzip"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Refused(ReadOnlySpan<char> parameters)
    {
        var q = parameters.Trim();
        if (!q.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return double.TryParse(q[2..].Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var weight)
            && weight == 0;
    }
}
