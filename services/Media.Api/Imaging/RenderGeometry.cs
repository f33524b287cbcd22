namespace Media.Api.Imaging;

/// <summary>
/// The box a rendering aims at. Nothing is ever enlarged: when the original is smaller than the box, the
/// box shrinks (keeping its shape for cover and fill) so no bytes are spent on invented pixels.
/// </summary>
public static class RenderGeometry
{
    /// <summary>Stands for "no limit this way" in libvips' thumbnail (its coordinates stop at 10^8).</summary>
    public const int Unbounded = 10_000_000;

    public static (int Width, int Height) Box(int sourceWidth, int sourceHeight, RenderSpec spec, int maxDimension)
    {
        if (spec.Width is not { } w || spec.Height is not { } h || spec.Fit == Fit.Inside)
        {
            var bw = spec.Width ?? (spec.Height is null ? maxDimension : Unbounded);
            var bh = spec.Height ?? (spec.Width is null ? maxDimension : Unbounded);
            var s = Math.Min(1.0, Math.Min(bw / (double)sourceWidth, bh / (double)sourceHeight));
            return (Math.Max(1, (int)Math.Round(sourceWidth * s)), Math.Max(1, (int)Math.Round(sourceHeight * s)));
        }

        switch (spec.Fit)
        {
            case Fit.Contain:
            {
                var s = Math.Min(w / (double)sourceWidth, h / (double)sourceHeight);
                return s <= 1 ? (w, h) : (Math.Max(1, (int)Math.Round(w / s)), Math.Max(1, (int)Math.Round(h / s)));
            }

            default:
            {
                if (w <= sourceWidth && h <= sourceHeight)
                {
                    return (w, h);
                }

                var k = Math.Min(sourceWidth / (double)w, sourceHeight / (double)h);
                return (Math.Max(1, (int)Math.Floor(w * k)), Math.Max(1, (int)Math.Floor(h * k)));
            }
        }
    }
}
