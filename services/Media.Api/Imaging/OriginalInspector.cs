using NetVips;

namespace Media.Api.Imaging;

/// <summary>
/// Reads what an upload claims to be from its header only (libvips opens lazily; no pixel is decoded
/// here), so a 60000×60000 bomb or an animation is refused before it costs memory.
/// </summary>
public static class OriginalInspector
{
    public static ImageHeader Inspect(byte[] bytes, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var format = ImageFormats.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, 64)))
            ?? throw new ImageRejectedException("file", "The file is not a JPEG, PNG, WebP or AVIF picture (judged from its first bytes, not its name).", StatusCodes.Status415UnsupportedMediaType);

        if (format == ImageFormat.Avif && bytes.AsSpan(8, 4).SequenceEqual("avis"u8))
        {
            throw new ImageRejectedException("file", "Animated AVIF (an image sequence) is refused; upload a still picture.");
        }

        Image header;
        try
        {
            header = format switch
            {
                ImageFormat.Jpeg => Image.JpegloadBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
                ImageFormat.Png => Image.PngloadBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
                ImageFormat.Webp => Image.WebploadBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
                _ => Image.HeifloadBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
            };
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException("file", $"The {format.Name()} file cannot be read: {FirstLine(ex.Message)}");
        }

        using (header)
        {
            var pages = header.Contains("n-pages") ? Convert.ToInt32(header.Get("n-pages"), System.Globalization.CultureInfo.InvariantCulture) : 1;
            if (pages > 1)
            {
                throw new ImageRejectedException("file", $"Animated or multi-page pictures are refused ({pages} frames); upload a still picture.");
            }

            var pixels = (long)header.Width * header.Height;
            if (pixels > maxPixels)
            {
                throw new ImageRejectedException("file", $"The picture declares {header.Width}×{header.Height} pixels ({pixels / 1e6:0.#} MP); at most {maxPixels / 1e6:0.#} MP are accepted.");
            }

            var orientation = header.Contains("orientation") ? Convert.ToInt32(header.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture) : 1;
            return orientation is >= 5 and <= 8
                ? new ImageHeader(format, header.Height, header.Width)
                : new ImageHeader(format, header.Width, header.Height);
        }
    }

    internal static string FirstLine(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Length > 0) ?? "unreadable";
        return line.Length > 200 ? line[..200] : line;
    }
}
