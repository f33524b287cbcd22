namespace Media.Api.Imaging;

public enum Fit
{
    /// <summary>Fills the box, cropping what sticks out (where depends on gravity).</summary>
    Cover,

    /// <summary>Fits inside the box and pads the rest, so the answer has the box's size.</summary>
    Contain,

    /// <summary>Stretches to the box.</summary>
    Fill,

    /// <summary>Fits inside the box; the answer may be smaller than the box one way.</summary>
    Inside,
}

public enum Gravity
{
    Centre,
    Attention,
    Face,
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}

/// <summary>One rendering of an original: the box, how to fit it, quality (null = auto) and the output format.</summary>
public sealed record RenderSpec(int? Width, int? Height, Fit Fit, Gravity Gravity, int? Quality, ImageFormat Format)
{
    /// <summary>The quality <c>q=auto</c> stands for: per format, what keeps a product photo clean at the fewest bytes.</summary>
    public int EffectiveQuality => Quality ?? Format switch
    {
        ImageFormat.Avif => 55,
        ImageFormat.Webp => 78,
        ImageFormat.Jpeg => 80,
        _ => 100,
    };

    /// <summary>A stable text for cache keys and ETags.</summary>
    public string CacheText => $"{Width?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}x{Height?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}-{Fit}-{Gravity}-q{EffectiveQuality.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{Format.Name()}".ToLowerInvariant();
}

public static class Fits
{
    public static bool TryParse(string? text, out Fit fit)
    {
        switch (text?.ToLowerInvariant())
        {
            case "cover" or "fill-crop": fit = Fit.Cover; return true;
            case "contain" or "pad": fit = Fit.Contain; return true;
            case "fill" or "stretch": fit = Fit.Fill; return true;
            case "inside" or "limit": fit = Fit.Inside; return true;
            default: fit = default; return false;
        }
    }

    public static bool TryParseGravity(string? text, out Gravity gravity)
    {
        switch (text?.ToLowerInvariant())
        {
            case "centre" or "center": gravity = Gravity.Centre; return true;
            case "attention" or "auto": gravity = Gravity.Attention; return true;
            case "face": gravity = Gravity.Face; return true;
            case "north": gravity = Gravity.North; return true;
            case "northeast" or "north_east": gravity = Gravity.NorthEast; return true;
            case "east": gravity = Gravity.East; return true;
            case "southeast" or "south_east": gravity = Gravity.SouthEast; return true;
            case "south": gravity = Gravity.South; return true;
            case "southwest" or "south_west": gravity = Gravity.SouthWest; return true;
            case "west": gravity = Gravity.West; return true;
            case "northwest" or "north_west": gravity = Gravity.NorthWest; return true;
            default: gravity = default; return false;
        }
    }

    public static string Name(this Gravity gravity) => gravity.ToString().ToLowerInvariant();

    public static string Name(this Fit fit) => fit.ToString().ToLowerInvariant();
}
