namespace Media.Api.Placeholders;

/// <summary>
/// ThumbHash (Evan Wallace's published algorithm): a ~25-byte DCT sketch of a picture, with its aspect
/// ratio and alpha, that a client turns into a blurred placeholder. Written here because no package for
/// it is obtainable. Rounding follows JavaScript's <c>Math.round</c> (halves go up), not .NET's banker's
/// rounding, so hashes match the reference implementation bit for bit.
/// </summary>
public static class ThumbHash
{
    public const int MaxSide = 100;

    /// <summary>Encodes unpremultiplied RGBA pixels (at most 100×100).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"ThumbHash takes at most {MaxSide}×{MaxSide} pixels, got {width}×{height}.");
        }

        if (rgba.Length < width * height * 4)
        {
            throw new ArgumentException("Fewer RGBA bytes than width × height × 4.", nameof(rgba));
        }

        var count = width * height;
        double avgR = 0, avgG = 0, avgB = 0, avgA = 0;
        for (int i = 0, j = 0; i < count; i++, j += 4)
        {
            var alpha = rgba[j + 3] / 255.0;
            avgR += alpha / 255.0 * rgba[j];
            avgG += alpha / 255.0 * rgba[j + 1];
            avgB += alpha / 255.0 * rgba[j + 2];
            avgA += alpha;
        }

        if (avgA > 0)
        {
            avgR /= avgA;
            avgG /= avgA;
            avgB /= avgA;
        }

        var hasAlpha = avgA < count;
        var lLimit = hasAlpha ? 5 : 7;
        var longSide = Math.Max(width, height);
        var lx = Math.Max(1, Round(lLimit * width / (double)longSide));
        var ly = Math.Max(1, Round(lLimit * height / (double)longSide));

        var l = new double[count];
        var p = new double[count];
        var q = new double[count];
        var a = new double[count];
        for (int i = 0, j = 0; i < count; i++, j += 4)
        {
            // Composite atop the average colour so transparent pixels do not pull the sketch to black.
            var alpha = rgba[j + 3] / 255.0;
            var r = avgR * (1 - alpha) + alpha / 255.0 * rgba[j];
            var g = avgG * (1 - alpha) + alpha / 255.0 * rgba[j + 1];
            var b = avgB * (1 - alpha) + alpha / 255.0 * rgba[j + 2];
            l[i] = (r + g + b) / 3;
            p[i] = (r + g) / 2 - b;
            q[i] = r - g;
            a[i] = alpha;
        }

        var (lDc, lAc, lScale) = EncodeChannel(l, width, height, Math.Max(3, lx), Math.Max(3, ly));
        var (pDc, pAc, pScale) = EncodeChannel(p, width, height, 3, 3);
        var (qDc, qAc, qScale) = EncodeChannel(q, width, height, 3, 3);
        var (aDc, aAc, aScale) = hasAlpha ? EncodeChannel(a, width, height, 5, 5) : (0, [], 0);

        var isLandscape = width > height;
        var header24 = Round(63 * lDc)
            | (Round(31.5 + 31.5 * pDc) << 6)
            | (Round(31.5 + 31.5 * qDc) << 12)
            | (Round(31 * lScale) << 18)
            | ((hasAlpha ? 1 : 0) << 23);
        var header16 = (isLandscape ? ly : lx)
            | (Round(63 * pScale) << 3)
            | (Round(63 * qScale) << 9)
            | ((isLandscape ? 1 : 0) << 15);

        var acStart = hasAlpha ? 6 : 5;
        var acCount = lAc.Length + pAc.Length + qAc.Length + aAc.Length;
        var hash = new byte[acStart + (acCount + 1) / 2];
        hash[0] = (byte)(header24 & 255);
        hash[1] = (byte)((header24 >> 8) & 255);
        hash[2] = (byte)(header24 >> 16);
        hash[3] = (byte)(header16 & 255);
        hash[4] = (byte)(header16 >> 8);
        if (hasAlpha)
        {
            hash[5] = (byte)(Round(15 * aDc) | (Round(15 * aScale) << 4));
        }

        var index = 0;
        foreach (var ac in hasAlpha ? new[] { lAc, pAc, qAc, aAc } : [lAc, pAc, qAc])
        {
            foreach (var f in ac)
            {
                hash[acStart + (index >> 1)] |= (byte)(Round(15 * f) << ((index & 1) << 2));
                index++;
            }
        }

        return hash;
    }

    /// <summary>The average colour (r, g, b, a in 0..1) a hash carries, read from its header alone.</summary>
    public static (double R, double G, double B, double A) AverageRgba(ReadOnlySpan<byte> hash)
    {
        var header = hash[0] | (hash[1] << 8) | (hash[2] << 16);
        var l = (header & 63) / 63.0;
        var p = ((header >> 6) & 63) / 31.5 - 1;
        var q = ((header >> 12) & 63) / 31.5 - 1;
        var hasAlpha = header >> 23 != 0;
        var a = hasAlpha ? (hash[5] & 15) / 15.0 : 1;
        var b = l - 2 / 3.0 * p;
        var r = (3 * l - b + q) / 2;
        var g = r - q;
        return (Math.Clamp(r, 0, 1), Math.Clamp(g, 0, 1), Math.Clamp(b, 0, 1), a);
    }

    /// <summary>Width ÷ height of the picture, as far as the hash records it.</summary>
    public static double AspectRatio(ReadOnlySpan<byte> hash)
    {
        var header = hash[3];
        var hasAlpha = (hash[2] & 0x80) != 0;
        var isLandscape = (hash[4] & 0x80) != 0;
        var lx = isLandscape ? (hasAlpha ? 5 : 7) : header & 7;
        var ly = isLandscape ? header & 7 : (hasAlpha ? 5 : 7);
        return lx / (double)ly;
    }

    private static (double Dc, double[] Ac, double Scale) EncodeChannel(double[] channel, int width, int height, int nx, int ny)
    {
        double dc = 0, scale = 0;
        var ac = new List<double>();
        var fx = new double[width];
        for (var cy = 0; cy < ny; cy++)
        {
            for (var cx = 0; cx * ny < nx * (ny - cy); cx++)
            {
                double f = 0;
                for (var x = 0; x < width; x++)
                {
                    fx[x] = Math.Cos(Math.PI / width * cx * (x + 0.5));
                }

                for (var y = 0; y < height; y++)
                {
                    var fy = Math.Cos(Math.PI / height * cy * (y + 0.5));
                    for (var x = 0; x < width; x++)
                    {
                        f += channel[x + y * width] * fx[x] * fy;
                    }
                }

                f /= width * height;
                if (cx > 0 || cy > 0)
                {
                    ac.Add(f);
                    scale = Math.Max(scale, Math.Abs(f));
                }
                else
                {
                    dc = f;
                }
            }
        }

        var normalized = ac.ToArray();
        if (scale > 0)
        {
            for (var i = 0; i < normalized.Length; i++)
            {
                normalized[i] = 0.5 + 0.5 / scale * normalized[i];
            }
        }

        return (dc, normalized, scale);
    }

    // JavaScript's Math.round: halves round up (towards +∞), unlike Math.Round's default.
    private static int Round(double value) => (int)Math.Floor(value + 0.5);
}
