using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.Caching;

/// <summary>
/// A cached answer stored ready to send: the UTF-8 JSON body and its strong ETag, both made once when the
/// entry is filled, so a hit neither serializes nor hashes. Redis holds the same bytes and tag, so every
/// replica sends identical bytes under an identical ETag. Brotli and gzip variants are made once per entry
/// (in each process), on the first request that asks for them.
/// </summary>
/// <remarks>
/// The value itself is kept beside the bytes for the code that needs to look at it (visibility, analytics);
/// an entry read from Redis deserializes it from the body on first use, with the caller's options.
/// </remarks>
[JsonConverter(typeof(CachedJsonConverterFactory))]
public sealed class CachedJson<T>
{
    private ValueBox? _value;
    private byte[]? _brotli;
    private byte[]? _gzip;

    private CachedJson(byte[] body, string etag, ValueBox? value)
    {
        Body = body;
        ETag = etag;
        _value = value;
    }

    /// <summary>The exact bytes a client receives without content coding.</summary>
    public byte[] Body { get; }

    /// <summary>The strong entity tag (quoted) of <see cref="Body"/>: <see cref="CachedJson.ETagOf"/>.</summary>
    public string ETag { get; }

    /// <summary>Serializes the value once, with the options the HTTP answer would use, and tags the bytes.</summary>
    public static CachedJson<T> Create(T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = JsonSerializer.SerializeToUtf8Bytes(value, options);
        return new CachedJson<T>(body, CachedJson.ETagOf(body), new ValueBox(value));
    }

    internal static CachedJson<T> FromStored(byte[] body, string etag) => new(body, etag, null);

    /// <summary>The value; an entry read from Redis deserializes its body once, with <paramref name="options"/>.</summary>
    public T GetValue(JsonSerializerOptions options)
    {
        var box = Volatile.Read(ref _value);
        if (box is null)
        {
            ArgumentNullException.ThrowIfNull(options);

            // Two threads may both deserialize the first time; either result is the same value.
            box = new ValueBox(JsonSerializer.Deserialize<T>(Body, options)!);
            Volatile.Write(ref _value, box);
        }

        return box.Value;
    }

    /// <summary>The body in <paramref name="coding"/>, or null when that coding would not make it smaller.</summary>
    public byte[]? Encoded(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => Compressed(ref _brotli, CachedJson.Brotli),
        ContentCoding.Gzip => Compressed(ref _gzip, CachedJson.Gzip),
        _ => null,
    };

    private byte[]? Compressed(ref byte[]? slot, Func<byte[], byte[]> compress)
    {
        var done = Volatile.Read(ref slot);
        if (done is null)
        {
            // Made once per entry and process: a benign race at worst compresses twice.
            done = compress(Body);
            Volatile.Write(ref slot, done);
        }

        return done.Length == 0 ? null : done;
    }

    private sealed class ValueBox(T value)
    {
        public T Value { get; } = value;
    }
}

/// <summary>A content coding a cached answer can be sent in.</summary>
public enum ContentCoding
{
    Identity,
    Brotli,
    Gzip,
}

public static class CachedJson
{
    // Once per entry, so a high setting is affordable; 9 keeps a large search page well under a millisecond.
    private const int BrotliQuality = 9;
    private const int BrotliWindow = 22;

    /// <summary>The strong ETag of a body: the first 96 bits of its SHA-256, quoted. Same on every replica.</summary>
    public static string ETagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return $"\"{Convert.ToHexStringLower(hash[..12])}\"";
    }

    /// <summary>The ETag of the body sent in <paramref name="coding"/>: a coded representation is another one (RFC 9110 8.8.3).</summary>
    public static string ETagFor(string etag, ContentCoding coding)
    {
        ArgumentNullException.ThrowIfNull(etag);
        return coding switch
        {
            ContentCoding.Brotli => string.Concat(etag.AsSpan(0, etag.Length - 1), "-br\""),
            ContentCoding.Gzip => string.Concat(etag.AsSpan(0, etag.Length - 1), "-gzip\""),
            _ => etag,
        };
    }

    /// <summary>Compressed bytes, or an empty array when they would not be smaller than the body.</summary>
    internal static byte[] Brotli(byte[] body)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        return BrotliEncoder.TryCompress(body, buffer, out var written, BrotliQuality, BrotliWindow) && written < body.Length
            ? buffer[..written]
            : [];
    }

    internal static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream(body.Length);
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return output.Length < body.Length ? output.ToArray() : [];
    }
}
