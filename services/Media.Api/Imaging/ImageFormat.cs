namespace Media.Api.Imaging;

/// <summary>The formats media reads (all four) and writes (all four).</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Webp,
    Avif,
}

public static class ImageFormats
{
    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Webp => "image/webp",
        ImageFormat.Avif => "image/avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Name(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Png => "png",
        ImageFormat.Webp => "webp",
        ImageFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? text, out ImageFormat format)
    {
        switch (text?.ToLowerInvariant())
        {
            case "jpeg" or "jpg": format = ImageFormat.Jpeg; return true;
            case "png": format = ImageFormat.Png; return true;
            case "webp": format = ImageFormat.Webp; return true;
            case "avif": format = ImageFormat.Avif; return true;
            default: format = default; return false;
        }
    }

    /// <summary>
    /// The type from the file's first bytes, never from its name or the client's Content-Type:
    /// JPEG (FF D8 FF), PNG (its 8-byte signature), WebP (RIFF....WEBP), AVIF (an ISO-BMFF ftyp box
    /// whose major or compatible brands include avif/avis).
    /// </summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.Webp;
        }

        if (head.Length >= 16 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var boxSize = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
            var end = Math.Min(head.Length, boxSize < 16 ? 16 : boxSize);
            for (var at = 8; at + 4 <= end; at += 4)
            {
                // The major brand (8..12), then the minor version (12..16), then compatible brands.
                if (at == 12)
                {
                    continue;
                }

                var brand = head.Slice(at, 4);
                if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
                {
                    return ImageFormat.Avif;
                }
            }
        }

        return null;
    }
}
