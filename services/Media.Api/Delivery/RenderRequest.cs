using System.Globalization;
using Media.Api.Imaging;

namespace Media.Api.Delivery;

/// <summary>
/// The query of a rendering URL: <c>w</c>, <c>h</c>, <c>q</c> (auto or 1–100), <c>format</c> (auto,
/// avif, webp, jpeg, png), <c>fit</c>, <c>gravity</c>, <c>v</c> (the image version) and <c>sig</c>.
/// <see cref="Canonical"/> is what the signature covers: every parameter with its default filled in.
/// </summary>
public sealed record RenderRequest(long ImageId, int? Version, int? Width, int? Height, int? Quality, ImageFormat? Format, Fit Fit, Gravity Gravity)
{
    public string Canonical => string.Create(
        CultureInfo.InvariantCulture,
        $"{ImageId}:v{Version}:w{Width}:h{Height}:q{(Quality is { } q ? q.ToString(CultureInfo.InvariantCulture) : "auto")}:{(Format is { } f ? f.Name() : "auto")}:{Fit.Name()}:{Gravity.Name()}");

    public RenderSpec Spec(ImageFormat format) => new(Width, Height, Fit, Gravity, Quality, format);

    /// <summary>The query string (without <c>sig</c>) that parses back to this request.</summary>
    public string Query()
    {
        var parts = new List<string>(8);
        if (Version is { } v)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"v={v}"));
        }

        if (Width is { } w)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"w={w}"));
        }

        if (Height is { } h)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"h={h}"));
        }

        parts.Add("fit=" + Fit.Name());
        parts.Add("gravity=" + Gravity.Name());
        parts.Add("q=" + (Quality is { } q ? q.ToString(CultureInfo.InvariantCulture) : "auto"));
        parts.Add("format=" + (Format is { } f ? f.Name() : "auto"));
        return string.Join('&', parts);
    }

    /// <summary>Parses a query; on bad input returns the field and a sentence for the 400.</summary>
    public static bool TryParse(long imageId, IQueryCollection query, int maxDimension, out RenderRequest request, out (string Field, string Detail) error)
    {
        request = null!;
        error = default;

        foreach (var key in query.Keys)
        {
            if (key is not ("w" or "h" or "q" or "format" or "fit" or "gravity" or "v" or "sig"))
            {
                error = (key, $"Unknown parameter '{Clip(key)}'; rendering URLs take w, h, q, format, fit, gravity, v and sig.");
                return false;
            }

            if (query[key].Count > 1)
            {
                error = (key, $"'{key}' is given more than once.");
                return false;
            }
        }

        if (!TryDimension(query, "w", maxDimension, out var width, out error)
            || !TryDimension(query, "h", maxDimension, out var height, out error))
        {
            return false;
        }

        int? quality = null;
        var q = query["q"].ToString();
        if (q.Length > 0 && q != "auto")
        {
            if (!int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 100)
            {
                error = ("q", $"q must be 'auto' or a whole number from 1 to 100, got '{Clip(q)}'.");
                return false;
            }

            quality = value;
        }

        ImageFormat? format = null;
        var formatText = query["format"].ToString();
        if (formatText.Length > 0 && formatText != "auto")
        {
            if (!ImageFormats.TryParse(formatText, out var parsed))
            {
                error = ("format", $"format must be auto, avif, webp, jpeg or png, got '{Clip(formatText)}'.");
                return false;
            }

            format = parsed;
        }

        var fit = Fit.Cover;
        var fitText = query["fit"].ToString();
        if (fitText.Length > 0 && !Fits.TryParse(fitText, out fit))
        {
            error = ("fit", $"fit must be cover, contain, fill or inside, got '{Clip(fitText)}'.");
            return false;
        }

        var gravity = Gravity.Centre;
        var gravityText = query["gravity"].ToString();
        if (gravityText.Length > 0 && !Fits.TryParseGravity(gravityText, out gravity))
        {
            error = ("gravity", $"gravity must be face, attention, centre or a compass point (north, northeast, … northwest), got '{Clip(gravityText)}'.");
            return false;
        }

        int? version = null;
        var v = query["v"].ToString();
        if (v.Length > 0)
        {
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedVersion) || parsedVersion < 1)
            {
                error = ("v", $"v must be a positive whole number (the image version), got '{Clip(v)}'.");
                return false;
            }

            version = parsedVersion;
        }

        request = new RenderRequest(imageId, version, width, height, quality, format, fit, gravity);
        return true;
    }

    private static bool TryDimension(IQueryCollection query, string name, int max, out int? value, out (string Field, string Detail) error)
    {
        value = null;
        error = default;
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1 || parsed > max)
        {
            error = (name, $"{name} must be a whole number from 1 to {max}, got '{Clip(text)}'.");
            return false;
        }

        value = parsed;
        return true;
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
