namespace Media.Api.Placeholders;

/// <summary>
/// BlurHash (Wolt's published algorithm, as in its C and Swift encoders): a short base83 string of DCT
/// factors in linear RGB. Written here because no package for it is obtainable.
/// </summary>
public static class BlurHash
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>Encodes RGB pixels with <paramref name="channels"/> bytes per pixel (3 or 4; a fourth byte is ignored).</summary>
    public static string Encode(int componentsX, int componentsY, int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        if (componentsX is < 1 or > 9 || componentsY is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(componentsX), "BlurHash takes 1 to 9 components each way.");
        }

        if (channels is not (3 or 4) || pixels.Length < width * height * channels)
        {
            throw new ArgumentException("The pixel buffer does not match width × height × channels.", nameof(pixels));
        }

        Span<double> linear = new double[width * height * 3];
        for (int i = 0, j = 0; i < width * height; i++, j += channels)
        {
            linear[i * 3] = SrgbToLinear(pixels[j]);
            linear[i * 3 + 1] = SrgbToLinear(pixels[j + 1]);
            linear[i * 3 + 2] = SrgbToLinear(pixels[j + 2]);
        }

        var factors = new double[componentsX * componentsY * 3];
        for (var cy = 0; cy < componentsY; cy++)
        {
            for (var cx = 0; cx < componentsX; cx++)
            {
                double r = 0, g = 0, b = 0;
                for (var y = 0; y < height; y++)
                {
                    var fy = Math.Cos(Math.PI * cy * y / height);
                    for (var x = 0; x < width; x++)
                    {
                        var basis = Math.Cos(Math.PI * cx * x / width) * fy;
                        var k = (y * width + x) * 3;
                        r += basis * linear[k];
                        g += basis * linear[k + 1];
                        b += basis * linear[k + 2];
                    }
                }

                var scale = (cx == 0 && cy == 0 ? 1.0 : 2.0) / (width * height);
                var at = (cy * componentsX + cx) * 3;
                factors[at] = r * scale;
                factors[at + 1] = g * scale;
                factors[at + 2] = b * scale;
            }
        }

        var result = new System.Text.StringBuilder(4 + 2 * componentsX * componentsY);
        Append(result, componentsX - 1 + (componentsY - 1) * 9, 1);

        var acCount = componentsX * componentsY - 1;
        double maximum = 1;
        if (acCount > 0)
        {
            double actual = 0;
            for (var i = 3; i < factors.Length; i++)
            {
                actual = Math.Max(actual, Math.Abs(factors[i]));
            }

            var quantised = Math.Clamp((int)Math.Floor(actual * 166 - 0.5), 0, 82);
            maximum = (quantised + 1) / 166.0;
            Append(result, quantised, 1);
        }
        else
        {
            Append(result, 0, 1);
        }

        Append(result, (LinearToSrgb(factors[0]) << 16) + (LinearToSrgb(factors[1]) << 8) + LinearToSrgb(factors[2]), 4);
        for (var i = 1; i <= acCount; i++)
        {
            Append(result, EncodeAc(factors[i * 3], factors[i * 3 + 1], factors[i * 3 + 2], maximum), 2);
        }

        return result.ToString();
    }

    private static int EncodeAc(double r, double g, double b, double maximum)
    {
        static int Quantise(double value, double maximum)
            => Math.Clamp((int)Math.Floor(SignPow(value / maximum, 0.5) * 9 + 9.5), 0, 18);

        return Quantise(r, maximum) * 19 * 19 + Quantise(g, maximum) * 19 + Quantise(b, maximum);
    }

    private static double SignPow(double value, double exponent) => Math.CopySign(Math.Pow(Math.Abs(value), exponent), value);

    private static double SrgbToLinear(byte value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static int LinearToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308
            ? (int)(v * 12.92 * 255 + 0.5)
            : (int)((1.055 * Math.Pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static void Append(System.Text.StringBuilder builder, int value, int length)
    {
        for (var i = 1; i <= length; i++)
        {
            var digit = value / (int)Math.Pow(83, length - i) % 83;
            builder.Append(Alphabet[digit]);
        }
    }
}
