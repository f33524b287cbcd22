using NetVips;

namespace Media.Api.Tests;

/// <summary>Test pictures made with libvips: a gradient with a red block top-left, so crops and rotations show.</summary>
public static class Pictures
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> JPEG; with orientation 6 it displays rotated a quarter turn.</summary>
    public static byte[] Jpeg(int width, int height, int orientation = 1, string? description = null)
    {
        using var image = Gradient(width, height);
        using var tagged = image.Mutate(m =>
        {
            if (orientation != 1)
            {
                m.Set(GValue.GIntType, "orientation", orientation);
            }

            if (description is not null)
            {
                m.Set(GValue.GStrType, "exif-ifd0-ImageDescription", description);
                m.Set(GValue.GStrType, "exif-ifd0-Artist", description);
            }
        });
        return tagged.JpegsaveBuffer(q: 90);
    }

    public static byte[] Png(int width, int height)
    {
        using var image = Gradient(width, height);
        return image.PngsaveBuffer();
    }

    public static byte[] Webp(int width, int height)
    {
        using var image = Gradient(width, height);
        return image.WebpsaveBuffer();
    }

    public static byte[] Avif(int width, int height)
    {
        using var image = Gradient(width, height);
        return image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1, effort: 0);
    }

    /// <summary>An animated WebP of <paramref name="frames"/> frames.</summary>
    public static byte[] AnimatedWebp(int width, int height, int frames)
    {
        // Frames must differ: libwebp merges identical consecutive frames into one.
        using var xyz = Image.Xyz(width, height * frames);
        using var ramp = xyz.ExtractBand(1) * (255.0 / (height * frames));
        using var strip = ramp.Bandjoin(ramp, ramp).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var animated = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", height);
            m.Set(GValue.ArrayIntType, "delay", Enumerable.Repeat(100, frames).ToArray());
            m.Set(GValue.GIntType, "loop", 0);
        });
        return animated.WebpsaveBuffer(pageHeight: height);
    }

    public static Image Load(byte[] bytes) => Image.NewFromBuffer(bytes);

    private static Image Gradient(int width, int height)
    {
        using var x = Image.Xyz(width, height);
        using var xs = x.ExtractBand(0) * (255.0 / width);
        using var ys = x.ExtractBand(1) * (255.0 / height);
        using var blue = xs.Linear([0.0], [128.0]);
        using var rgb = xs.Bandjoin(ys, blue);
        using var block = Image.Black(Math.Max(1, width / 4), Math.Max(1, height / 4), bands: 3).Linear([0, 0, 0], [255.0, 0, 0]);
        using var drawn = rgb.Insert(block, 0, 0);
        return drawn.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }
}
