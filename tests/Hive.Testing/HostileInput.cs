using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace Hive.Testing;

/// <summary>
/// Generators of what a careless or hostile client sends: text from every Unicode category (combining
/// marks, bidi and control characters, lone surrogates, very long runs), numbers at and past every edge
/// (0, negative, huge, NaN, exponent forms), and forged cursors. Used by the property tests that assert a
/// service answers each with a 2xx or a 4xx ProblemDetails, never a 500.
/// </summary>
public static class HostileInput
{
    private static readonly string[] Tricky =
    [
        "", " ", "\0", "a\0b", "\u202Eevil\u202C", "\u2066x\u2069", "\u200F\u200E", "e\u0301\u0301\u0301", "\uFEFF", "\u0085",
        "\uD800", "\uDFFF", "x\uD83D", "👩🏽‍💻", "ｋｉｋｏｉ", "ﬁ", "İ", "ß", "\u0130\u0131", "ǅ", "ᵃᵇ", "Ⅻ", "ŉ", "ʼa", "aʹb", "ˈx", "aːb", "ʺ", "٣٤", "𝟘𝟙",
        "'", "''", "\"", "\\", ":*", "a:*", "!a", "a & b", "a | !b", "(a", "a)", "<->", "a <-> b", "'a':* & 'b'", "&&", "||",
        "%", "_", "%00", "%ZZ", "--", "/*", "; DROP TABLE products; --", "$1", "@tsq", "{0}", "\\x00", "null", "[]", "{}",
        "kikoi", "kikoi wrap", "KIKOÍ", "a b c d e f g h i j k l m n o p", "tecno-spark-3",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "0.0", "10", "10.0", "10.00", "1e2", "1E2", "1e-2", "1e400", "-1e400", "1e+9", ".5", "5.", "+5",
        "NaN", "nan", "Infinity", "-Infinity", "∞", "0x10", "1_000", "1,5", "1 000", " 7 ", "٣", "２", "00012",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "79228162514264337593543950335", "79228162514264337593543950336", "99999999999999999999999999999999999999",
        "9999999999.99", "10000000000", "100000000", "100000000.01", "0.001", "1.005", "-0.01",
    ];

    /// <summary>Any UTF-16 code unit, lone surrogates included.</summary>
    public static readonly Gen<char> AnyChar = Gen.Int[0, 0xFFFF].Select(i => (char)i);

    /// <summary>Characters of the kinds that break naive code: controls, marks, bidi, surrogates, quotes.</summary>
    public static readonly Gen<char> NastyChar = Gen.OneOf(
        '\0', '\t', '\n', '\r', '\u0007', '\u001B', '\u007F', '\u0085', '\u00A0', '\u0301', '\u0336', '\u20DD', '\u034F',
        '\u061C', '\u200B', '\u200D', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', '\u2028', '\u2029', '\uFEFF',
        '\uFFFD', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000', '\u02B0', '\u02B9', '\u02BC', '\u02C8', '\u02D0', '\u1D2C', '\u3000', '\u0345',
        '\'', '"', '\\', ':', '*', '&', '|', '!', '(', ')', '<', '>', '%', '_', ';', '-', '/', '$', '@', '{', '}', '#', '?', '=', '+');

    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.OneOf(Tricky)),
        (5, Gen.Frequency((1, AnyChar), (3, NastyChar), (2, Gen.Char['a', 'z'])).Array[0, 24].Select(c => new string(c))),
        (1, Gen.String),
        (1, Gen.Select(Gen.OneOf("a", "é", "\u0301", "ж", "ß", "👍", "\uD800", " "), Gen.Int[200, 20_000], (s, n) => string.Concat(Enumerable.Repeat(s, n)))));

    public static readonly Gen<string> Number = Gen.Frequency(
        (4, Gen.OneOf(Numbers)),
        (1, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.Decimal.Select(d => d.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Cursors no service issued: random base64url, truncated or bit-flipped real-looking ones, and plain junk.</summary>
    public static readonly Gen<string> Cursor = Gen.Frequency(
        (2, Gen.Byte.Array[0, 120].Select(b => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_'))),
        (1, Gen.Byte.Array[0, 60].Select(Convert.ToBase64String)),
        (1, Text));

    /// <summary>A query-string or path value: generated text or numbers, sometimes missing.</summary>
    public static readonly Gen<string?> Value = Gen.Frequency(
        (1, Gen.Const(static () => (string?)null)),
        (3, Text.Select(s => (string?)s)),
        (3, Number.Select(s => (string?)s)),
        (1, Cursor.Select(s => (string?)s)));

    /// <summary>A JSON token for a field: numbers in every form (bare, so a parser sees them), strings, other kinds.</summary>
    public static readonly Gen<string> JsonValue = Gen.Frequency(
        (2, Number),
        (4, Text.Select(JsonString)),
        (1, Gen.OneOf("null", "true", "false", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\"", "-", "1e", "0x1", "NaN", "01", "1.", "1e99999")));

    /// <summary>
    /// Percent-encodes every byte of the text's UTF-8 outside the unreserved set. A lone surrogate becomes
    /// the bytes of an encoded surrogate (ED A0 80), which is not valid UTF-8: the server must cope.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length * 3);
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            foreach (var b in Utf8Bytes(codePoint))
            {
                var c = (char)b;
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
                {
                    builder.Append(c);
                }
                else
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <see cref="Escape"/> for a path segment, without NUL: Kestrel refuses a path with %00 itself (400)
    /// before any application code runs, while the in-memory test server throws on the client side.
    /// </summary>
    public static string Segment(string text) => Escape(text.Replace("\0", string.Empty, StringComparison.Ordinal));

    /// <summary>A JSON string literal escaping every non-ASCII unit as \uXXXX, so lone surrogates reach the parser as written.</summary>
    public static string JsonString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is >= ' ' and < '\u007F' and not '"' and not '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A query string of the given parameters, leaving out the missing ones.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Escape(p.Value!)}").ToList();
        return present.Count == 0 ? string.Empty : "?" + string.Join('&', present);
    }

    /// <summary>Fails unless the answer is a 2xx/3xx, or a 4xx whose body is an RFC 9457 ProblemDetails.</summary>
    public static async Task AssertNoServerErrorAsync(HttpResponseMessage response, string request)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException($"{request} answered {status}: {body[..Math.Min(body.Length, 2000)]}");
        }

        if (status >= 400 && response.StatusCode != HttpStatusCode.NotModified
            && response.Content.Headers.ContentType is not MediaTypeHeaderValue { MediaType: "application/problem+json" })
        {
            throw new Xunit.Sdk.XunitException($"{request} answered {status} without a ProblemDetails body ({response.Content.Headers.ContentType}).");
        }
    }

    private static byte[] Utf8Bytes(int codePoint) => codePoint switch
    {
        < 0x80 => [(byte)codePoint],
        < 0x800 => [(byte)(0xC0 | (codePoint >> 6)), (byte)(0x80 | (codePoint & 0x3F))],
        < 0x10000 => [(byte)(0xE0 | (codePoint >> 12)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
        _ => [(byte)(0xF0 | (codePoint >> 18)), (byte)(0x80 | ((codePoint >> 12) & 0x3F)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
    };
}
