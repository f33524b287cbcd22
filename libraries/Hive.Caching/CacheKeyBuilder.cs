using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Hive.Caching;

/// <summary>
/// The one place keys and tags are built: <c>{service}:{entity}:{id}</c>. Entity names are code
/// constants and must be plain (<c>[a-z][a-z0-9-]*</c>); ids are user input and are percent-encoded so
/// no colon, <c>*</c>, newline or other byte can reach another entity or namespace. Ids whose encoding
/// would be longer than <see cref="MaxEncodedIdLength"/> are replaced by a SHA-256 digest.
/// </summary>
public sealed partial class CacheKeyBuilder
{
    /// <summary>Longest encoded id kept readable; longer ones are hashed.</summary>
    public const int MaxEncodedIdLength = 128;

    // '~' is encoded in readable ids, so a hashed id ("~h" + hex) can never equal an encoded one.
    private const string HashedIdMarker = "~h";

    private static readonly SearchValues<char> Plain =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public CacheKeyBuilder(string @namespace)
    {
        ValidateName(@namespace, nameof(@namespace));
        Namespace = @namespace;
    }

    public string Namespace { get; }

    /// <summary>The key for one entity instance, <c>{service}:{entity}:{id}</c>.</summary>
    public CacheKey For(string entity, string id)
    {
        ValidateName(entity, nameof(entity));
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new CacheKey(Namespace, entity, $"{entity}:{EncodeId(id)}");
    }

    public CacheKey For(string entity, long id) => For(entity, id.ToString(CultureInfo.InvariantCulture));

    public CacheKey For(string entity, Guid id) => For(entity, id.ToString("N"));

    /// <summary>A tag for every entry of one entity instance, for example <c>product:1</c>.</summary>
    public CacheTag Tag(string entity, string id)
    {
        ValidateName(entity, nameof(entity));
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new CacheTag(Namespace, $"{entity}:{EncodeId(id)}");
    }

    public CacheTag Tag(string entity, long id) => Tag(entity, id.ToString(CultureInfo.InvariantCulture));

    /// <summary>A tag for a whole entity, for example <c>product</c>.</summary>
    public CacheTag Tag(string entity)
    {
        ValidateName(entity, nameof(entity));
        return new CacheTag(Namespace, entity);
    }

    /// <summary>Encodes one user-supplied key segment; the result never holds ':' '*' '%' or whitespace unescaped.</summary>
    internal static string EncodeId(string id)
    {
        if (id.AsSpan().IndexOfAnyExcept(Plain) < 0 && id.Length <= MaxEncodedIdLength)
        {
            return id;
        }

        var bytes = Encoding.UTF8.GetBytes(id);
        if (bytes.Length * 3 > MaxEncodedIdLength && Encoded(bytes).Length > MaxEncodedIdLength)
        {
            return HashedIdMarker + Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        return Encoded(bytes);
    }

    private static string Encoded(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (b < 0x80 && Plain.Contains(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    internal static void ValidateName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid name: use lower-case letters, digits and '-', starting with a letter, at most 32 characters.",
                parameter);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
