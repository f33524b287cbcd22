namespace Hive.Mobile.Images;

/// <summary>BlurHash decoding after the reference implementation (woltapp/blurhash, Algorithm.md and TypeScript/src/decode.ts).</summary>
public static class BlurHash
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>A BlurHash has the length its size character announces and only base83 characters.</summary>
    public static bool LooksLike(string text)
    {
        if (text.Length < 6 || text.Any(c => Alphabet.IndexOf(c, StringComparison.Ordinal) < 0))
        {
            return false;
        }

        var size = Decode83(text.AsSpan(0, 1));
        var components = (size % 9 + 1) * (size / 9 + 1);
        return text.Length == 4 + 2 * components;
    }

    public static PlaceholderBitmap Decode(string hash, int width, int height, double punch = 1)
    {
        if (!LooksLike(hash))
        {
            throw new FormatException("Not a BlurHash.");
        }

        var size = Decode83(hash.AsSpan(0, 1));
        var numY = size / 9 + 1;
        var numX = size % 9 + 1;
        var maximum = (Decode83(hash.AsSpan(1, 1)) + 1) / 166.0;
        var colors = new (double R, double G, double B)[numX * numY];
        var dc = Decode83(hash.AsSpan(2, 4));
        colors[0] = (ToLinear(dc >> 16), ToLinear((dc >> 8) & 255), ToLinear(dc & 255));
        for (var i = 1; i < colors.Length; i++)
        {
            var value = Decode83(hash.AsSpan(4 + i * 2, 2));
            colors[i] = (
                SignPow(((value / (19 * 19)) - 9) / 9.0, 2) * maximum * punch,
                SignPow((((value / 19) % 19) - 9) / 9.0, 2) * maximum * punch,
                SignPow(((value % 19) - 9) / 9.0, 2) * maximum * punch);
        }

        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (var j = 0; j < numY; j++)
                {
                    for (var i = 0; i < numX; i++)
                    {
                        var basis = Math.Cos(Math.PI * x * i / width) * Math.Cos(Math.PI * y * j / height);
                        var color = colors[i + j * numX];
                        r += color.R * basis;
                        g += color.G * basis;
                        b += color.B * basis;
                    }
                }

                var at = 4 * (x + y * width);
                rgba[at] = ToSrgb(r);
                rgba[at + 1] = ToSrgb(g);
                rgba[at + 2] = ToSrgb(b);
                rgba[at + 3] = 255;
            }
        }

        return new PlaceholderBitmap(width, height, rgba);
    }

    /// <summary>The average colour (the DC component) as 8-bit sRGB.</summary>
    public static (byte R, byte G, byte B) AverageColor(string hash)
    {
        var dc = Decode83(hash.AsSpan(2, 4));
        return ((byte)(dc >> 16), (byte)((dc >> 8) & 255), (byte)(dc & 255));
    }

    private static int Decode83(ReadOnlySpan<char> text)
    {
        var value = 0;
        foreach (var c in text)
        {
            value = value * 83 + Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        return value;
    }

    private static double ToLinear(int value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static byte ToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308
            ? (byte)Math.Truncate(v * 12.92 * 255 + 0.5)
            : (byte)Math.Truncate((1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static double SignPow(double value, double exponent) => Math.CopySign(Math.Pow(Math.Abs(value), exponent), value);
}
