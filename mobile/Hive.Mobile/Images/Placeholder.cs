namespace Hive.Mobile.Images;

/// <summary>A tiny picture to draw while the real image loads: RGBA bytes, row by row, 4 per pixel.</summary>
public sealed record PlaceholderBitmap(int Width, int Height, byte[] Rgba);

/// <summary>
/// Decodes the placeholder string the fleet puts in product answers into a small bitmap. Both published
/// algorithms are read: ThumbHash (base64, evanw/thumbhash) and BlurHash (base83, woltapp/blurhash).
/// No package for either is obtainable here, so the decoders are written after the reference implementations.
/// </summary>
public static class Placeholder
{
    /// <summary>Null when the text is neither a ThumbHash nor a BlurHash.</summary>
    public static PlaceholderBitmap? Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Some strings fit both alphabets; a ThumbHash's length follows from its header, which settles it.
        if (ThumbHash.TryFromBase64(text, out var hash) && ThumbHash.IsWellFormed(hash))
        {
            return ThumbHash.ToRgba(hash);
        }

        return BlurHash.LooksLike(text) ? BlurHash.Decode(text, 32, 32) : null;
    }
}
