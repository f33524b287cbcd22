namespace Hive.Mobile.Images;

/// <summary>ThumbHash decoding after the reference implementation (evanw/thumbhash, js/thumbhash.js).</summary>
public static class ThumbHash
{
    public static bool TryFromBase64(string text, out byte[] hash)
    {
        hash = [];
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, buffer, out var written) || written < 5)
        {
            return false;
        }

        hash = buffer[..written];
        return true;
    }

    /// <summary>True when the length is the one the header announces (header, then one nibble per AC coefficient).</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> hash)
    {
        if (hash.Length < 5)
        {
            return false;
        }

        var header24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
        var header16 = hash[3] | (hash[4] << 8);
        var hasAlpha = (header24 >> 23) != 0;
        var isLandscape = (header16 >> 15) != 0;
        var lx = Math.Max(3, isLandscape ? (hasAlpha ? 5 : 7) : header16 & 7);
        var ly = Math.Max(3, isLandscape ? header16 & 7 : (hasAlpha ? 5 : 7));
        var nibbles = Triangle(lx, ly) + 5 + 5 + (hasAlpha ? 14 : 0);
        return hash.Length == (hasAlpha ? 6 : 5) + ((nibbles + 1) / 2);
    }

    /// <summary>The average colour as red, green, blue, alpha in 0..1.</summary>
    public static (double R, double G, double B, double A) AverageRgba(ReadOnlySpan<byte> hash)
    {
        var header = hash[0] | (hash[1] << 8) | (hash[2] << 16);
        var l = (header & 63) / 63.0;
        var p = ((header >> 6) & 63) / 31.5 - 1;
        var q = ((header >> 12) & 63) / 31.5 - 1;
        var hasAlpha = (header >> 23) != 0;
        var a = hasAlpha ? (hash[5] & 15) / 15.0 : 1;
        var b = l - 2.0 / 3 * p;
        var r = (3 * l - b + q) / 2;
        var g = r - q;
        return (Math.Clamp(r, 0, 1), Math.Clamp(g, 0, 1), Math.Clamp(b, 0, 1), a);
    }

    public static double ApproximateAspectRatio(ReadOnlySpan<byte> hash)
    {
        var header = hash[3];
        var hasAlpha = (hash[2] & 0x80) != 0;
        var isLandscape = (hash[4] & 0x80) != 0;
        var lx = isLandscape ? (hasAlpha ? 5 : 7) : header & 7;
        var ly = isLandscape ? header & 7 : (hasAlpha ? 5 : 7);
        return (double)lx / ly;
    }

    public static PlaceholderBitmap ToRgba(byte[] hash)
    {
        var header24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
        var header16 = hash[3] | (hash[4] << 8);
        var lDc = (header24 & 63) / 63.0;
        var pDc = ((header24 >> 6) & 63) / 31.5 - 1;
        var qDc = ((header24 >> 12) & 63) / 31.5 - 1;
        var lScale = ((header24 >> 18) & 31) / 31.0;
        var hasAlpha = (header24 >> 23) != 0;
        var pScale = ((header16 >> 3) & 63) / 63.0;
        var qScale = ((header16 >> 9) & 63) / 63.0;
        var isLandscape = (header16 >> 15) != 0;
        var lx = Math.Max(3, isLandscape ? (hasAlpha ? 5 : 7) : header16 & 7);
        var ly = Math.Max(3, isLandscape ? header16 & 7 : (hasAlpha ? 5 : 7));
        var aDc = hasAlpha ? (hash[5] & 15) / 15.0 : 1;
        var aScale = (hash[5] >> 4) / 15.0;

        var acStart = hasAlpha ? 6 : 5;
        var acIndex = 0;
        double[] Channel(int nx, int ny, double scale)
        {
            var ac = new List<double>();
            for (var cy = 0; cy < ny; cy++)
            {
                for (var cx = cy > 0 ? 0 : 1; cx * ny < nx * (ny - cy); cx++)
                {
                    var position = acStart + (acIndex >> 1);
                    var nibble = position < hash.Length ? (hash[position] >> ((acIndex & 1) << 2)) & 15 : 0;
                    acIndex++;
                    ac.Add((nibble / 7.5 - 1) * scale);
                }
            }

            return [.. ac];
        }

        var lAc = Channel(lx, ly, lScale);
        var pAc = Channel(3, 3, pScale * 1.25);
        var qAc = Channel(3, 3, qScale * 1.25);
        var aAc = hasAlpha ? Channel(5, 5, aScale) : [];

        var ratio = ApproximateAspectRatio(hash);
        var w = (int)Math.Floor((ratio > 1 ? 32 : 32 * ratio) + 0.5);
        var h = (int)Math.Floor((ratio > 1 ? 32 / ratio : 32) + 0.5);
        var rgba = new byte[w * h * 4];
        var fx = new double[Math.Max(lx, hasAlpha ? 5 : 3)];
        var fy = new double[Math.Max(ly, hasAlpha ? 5 : 3)];
        for (int y = 0, i = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++, i += 4)
            {
                double l = lDc, p = pDc, q = qDc, a = aDc;
                for (var cx = 0; cx < fx.Length; cx++)
                {
                    fx[cx] = Math.Cos(Math.PI / w * (x + 0.5) * cx);
                }

                for (var cy = 0; cy < fy.Length; cy++)
                {
                    fy[cy] = Math.Cos(Math.PI / h * (y + 0.5) * cy);
                }

                for (int cy = 0, j = 0; cy < ly; cy++)
                {
                    var fy2 = fy[cy] * 2;
                    for (var cx = cy > 0 ? 0 : 1; cx * ly < lx * (ly - cy); cx++, j++)
                    {
                        l += lAc[j] * fx[cx] * fy2;
                    }
                }

                for (int cy = 0, j = 0; cy < 3; cy++)
                {
                    var fy2 = fy[cy] * 2;
                    for (var cx = cy > 0 ? 0 : 1; cx < 3 - cy; cx++, j++)
                    {
                        var f = fx[cx] * fy2;
                        p += pAc[j] * f;
                        q += qAc[j] * f;
                    }
                }

                if (hasAlpha)
                {
                    for (int cy = 0, j = 0; cy < 5; cy++)
                    {
                        var fy2 = fy[cy] * 2;
                        for (var cx = cy > 0 ? 0 : 1; cx < 5 - cy; cx++, j++)
                        {
                            a += aAc[j] * fx[cx] * fy2;
                        }
                    }
                }

                var b = l - 2.0 / 3 * p;
                var r = (3 * l - b + q) / 2;
                var g = r - q;
                rgba[i] = ToByte(r);
                rgba[i + 1] = ToByte(g);
                rgba[i + 2] = ToByte(b);
                rgba[i + 3] = ToByte(a);
            }
        }

        return new PlaceholderBitmap(w, h, rgba);
    }

    private static int Triangle(int nx, int ny)
    {
        var count = 0;
        for (var cy = 0; cy < ny; cy++)
        {
            for (var cx = cy > 0 ? 0 : 1; cx * ny < nx * (ny - cy); cx++)
            {
                count++;
            }
        }

        return count;
    }

    // Uint8Array assignment in the reference truncates toward zero after clamping.
    private static byte ToByte(double value) => (byte)Math.Max(0, 255 * Math.Min(1, value));
}
