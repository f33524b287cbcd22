using Microsoft.Extensions.Options;
using NetVips;

namespace Media.Api.Imaging;

/// <summary>A finished rendering: the encoded bytes and their pixel size.</summary>
public sealed record RenderedImage(byte[] Bytes, int Width, int Height, ImageFormat Format);

/// <summary>
/// Renders originals with libvips' thumbnail (shrink-on-load, EXIF orientation applied) and encodes them
/// with no metadata at all (<c>keep=none</c>: EXIF, GPS, XMP, IPTC and ICC go; pixels are sRGB first).
/// </summary>
public sealed class Renderer(FaceFinder faces, IOptions<MediaOptions> options)
{
    private static readonly double[] White = [255, 255, 255];

    public RenderedImage Render(byte[] original, ImageHeader header, RenderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(spec);

        var (bw, bh) = RenderGeometry.Box(header.Width, header.Height, spec, options.Value.MaxDimension);
        using var shaped = Shape(original, header, spec, bw, bh);
        var bytes = Encode(shaped, spec.Format, spec.EffectiveQuality);
        return new RenderedImage(bytes, shaped.Width, shaped.Height, spec.Format);
    }

    /// <summary>RGBA pixels of the upright picture fitted inside <paramref name="side"/>², for placeholders.</summary>
    public static (byte[] Rgba, int Width, int Height) Pixels(byte[] original, int side, Enums.FailOn failOn = Enums.FailOn.None)
    {
        using var thumb = Image.ThumbnailBuffer(original, side, height: side, size: Enums.Size.Down, failOn: failOn);
        using var srgb = ToSrgb(thumb);
        using var rgba = srgb.HasAlpha() ? srgb.Copy() : srgb.Bandjoin(255);
        using var bytes = rgba.Cast(Enums.BandFormat.Uchar);
        return (bytes.WriteToMemory<byte>(), bytes.Width, bytes.Height);
    }

    /// <summary>
    /// Decodes every pixel once (JPEG at 1/8 scale, which still reads the whole stream) and fails on a
    /// truncated or corrupt file, which libvips would otherwise render with a grey tail.
    /// </summary>
    public static void Verify(byte[] original, ImageFormat format)
    {
        using var image = format switch
        {
            ImageFormat.Jpeg => Image.JpegloadBuffer(original, shrink: 8, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated),
            ImageFormat.Png => Image.PngloadBuffer(original, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated),
            ImageFormat.Webp => Image.WebploadBuffer(original, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated),
            _ => Image.HeifloadBuffer(original, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated),
        };
        _ = image.Avg();
    }

    /// <summary>A tiny blurred JPEG of the picture (well under 1 KB) for a data: URL placeholder.</summary>
    public static byte[] TinyBlurred(byte[] original)
    {
        using var thumb = Image.ThumbnailBuffer(original, 24, height: 24, size: Enums.Size.Down);
        using var srgb = ToSrgb(thumb);
        using var flat = srgb.HasAlpha() ? srgb.Flatten(background: White) : srgb.Copy();
        using var blurred = flat.Gaussblur(1.2);
        return blurred.JpegsaveBuffer(q: 40, keep: Enums.ForeignKeep.None);
    }

    private Image Shape(byte[] original, ImageHeader header, RenderSpec spec, int bw, int bh)
    {
        if (spec.Width is null || spec.Height is null || spec.Fit == Fit.Inside)
        {
            return Image.ThumbnailBuffer(original, bw, height: bh, size: Enums.Size.Down);
        }

        switch (spec.Fit)
        {
            case Fit.Fill:
                return Image.ThumbnailBuffer(original, bw, height: bh, size: Enums.Size.Force);
            case Fit.Contain:
            {
                using var inside = Image.ThumbnailBuffer(original, bw, height: bh, size: Enums.Size.Down);
                return inside.Gravity(Enums.CompassDirection.Centre, bw, bh, Enums.Extend.Background, inside.HasAlpha() ? [0, 0, 0, 0] : BackgroundFor(inside));
            }
        }

        if (spec.Gravity is Gravity.Centre or Gravity.Attention)
        {
            return Image.ThumbnailBuffer(original, bw, height: bh, size: Enums.Size.Down,
                crop: spec.Gravity == Gravity.Centre ? Enums.Interesting.Centre : Enums.Interesting.Attention);
        }

        // Compass points and faces: shrink until the box is covered, then cut the box where gravity says.
        var wider = header.Width / (double)header.Height > bw / (double)bh;
        using var thumbnail = wider
            ? Image.ThumbnailBuffer(original, RenderGeometry.Unbounded, height: bh, size: Enums.Size.Down)
            : Image.ThumbnailBuffer(original, bw, height: RenderGeometry.Unbounded, size: Enums.Size.Down);
        // Face detection reads the whole picture before the crop does: keep the (box-sized) pixels in memory
        // instead of decoding the original twice, which a sequential load cannot do.
        using var covering = spec.Gravity == Gravity.Face ? thumbnail.CopyMemory() : thumbnail.Copy();
        var cw = Math.Min(bw, covering.Width);
        var ch = Math.Min(bh, covering.Height);
        var spareX = covering.Width - cw;
        var spareY = covering.Height - ch;

        if (spec.Gravity == Gravity.Face)
        {
            if (faces.FindCentre(covering) is { } centre)
            {
                var x = (int)Math.Clamp(Math.Round(centre.X - cw / 2.0), 0, spareX);
                var y = (int)Math.Clamp(Math.Round(centre.Y - ch / 2.0), 0, spareY);
                return covering.ExtractArea(x, y, cw, ch);
            }

            return covering.Smartcrop(cw, ch, Enums.Interesting.Attention);
        }

        var (left, top) = spec.Gravity switch
        {
            Gravity.North => (spareX / 2, 0),
            Gravity.NorthEast => (spareX, 0),
            Gravity.East => (spareX, spareY / 2),
            Gravity.SouthEast => (spareX, spareY),
            Gravity.South => (spareX / 2, spareY),
            Gravity.SouthWest => (0, spareY),
            Gravity.West => (0, spareY / 2),
            Gravity.NorthWest => (0, 0),
            _ => (spareX / 2, spareY / 2),
        };
        return covering.ExtractArea(left, top, cw, ch);
    }

    private static double[] BackgroundFor(Image image) => image.Bands >= 3 ? White : [255];

    private static Image ToSrgb(Image image)
        => image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw
            ? image.Copy()
            : image.Colourspace(Enums.Interpretation.Srgb);

    private static byte[] Encode(Image shaped, ImageFormat format, int quality)
    {
        using var srgb = ToSrgb(shaped);
        using var ready = format == ImageFormat.Jpeg && srgb.HasAlpha() ? srgb.Flatten(background: BackgroundFor(srgb)) : srgb.Copy();
        return format switch
        {
            ImageFormat.Jpeg => ready.JpegsaveBuffer(q: quality, optimizeCoding: true, interlace: true, keep: Enums.ForeignKeep.None),
            ImageFormat.Webp => ready.WebpsaveBuffer(q: quality, effort: 4, smartSubsample: true, keep: Enums.ForeignKeep.None),
            // NetVips.Native ships AV1 only; libvips' default HEVC would fail.
            ImageFormat.Avif => ready.HeifsaveBuffer(q: quality, bitdepth: 8, compression: Enums.ForeignHeifCompression.Av1, effort: 3, keep: Enums.ForeignKeep.None),
            _ => ready.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.None),
        };
    }
}
