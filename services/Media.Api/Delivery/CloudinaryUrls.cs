using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Media.Api.Imaging;

namespace Media.Api.Delivery;

/// <summary>
/// Cloudinary delivery URLs built to its documented grammar (its SDK is not obtainable here):
/// <c>https://res.cloudinary.com/{cloud}/image/upload/[s--SIG--/]{transformation}/v{version}/{public_id}[.ext]</c>.
/// Parameters are sorted as the SDKs sort them; SIG is the first 8 characters of
/// base64url(SHA-1(transformation + "/" + public_id + secret)) — the version is not signed.
/// </summary>
public sealed class CloudinaryUrls(string cloudName, string? apiSecret)
{
    public string Url(string publicId, int? version, IEnumerable<string> transformation)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicId);
        var parameters = string.Join(',', transformation.Where(p => p.Length > 0).OrderBy(p => p, StringComparer.Ordinal));
        var signed = parameters.Length > 0 ? parameters + "/" + publicId : publicId;
        var builder = new StringBuilder("https://res.cloudinary.com/").Append(cloudName).Append("/image/upload/");
        if (!string.IsNullOrEmpty(apiSecret))
        {
            builder.Append("s--").Append(Signature(signed, apiSecret)).Append("--/");
        }

        if (parameters.Length > 0)
        {
            builder.Append(parameters).Append('/');
        }

        if (version is { } v)
        {
            builder.Append('v').Append(v.ToString(CultureInfo.InvariantCulture)).Append('/');
        }

        return builder.Append(publicId).ToString();
    }

    /// <summary>The transformation parameters for a rendering, in Cloudinary's names.</summary>
    public static IEnumerable<string> Transformation(RenderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Width is { } w)
        {
            yield return "w_" + w.ToString(CultureInfo.InvariantCulture);
        }

        if (spec.Height is { } h)
        {
            yield return "h_" + h.ToString(CultureInfo.InvariantCulture);
        }

        yield return "c_" + (spec.Fit switch
        {
            Fit.Cover => "fill",
            Fit.Contain => "pad",
            Fit.Fill => "scale",
            _ => "limit",
        });
        if (spec.Fit is Fit.Cover or Fit.Contain)
        {
            yield return "g_" + (spec.Gravity switch
            {
                Gravity.Centre => "center",
                Gravity.Attention => "auto",
                Gravity.Face => "face",
                Gravity.NorthEast => "north_east",
                Gravity.SouthEast => "south_east",
                Gravity.SouthWest => "south_west",
                Gravity.NorthWest => "north_west",
                var compass => compass.Name(),
            });
        }

        yield return spec.Quality is { } q ? "q_" + q.ToString(CultureInfo.InvariantCulture) : "q_auto";
    }

    public static string FormatParameter(ImageFormat? format) => format switch
    {
        null => "f_auto",
        ImageFormat.Jpeg => "f_jpg",
        var f => "f_" + f.Value.Name(),
    };

    public static string Signature(string toSign, string apiSecret)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(toSign + apiSecret));
        return Base64Url.EncodeToString(hash)[..8];
    }

    /// <summary>Reads <c>cloudinary://key:secret@cloud</c>; null when the text is not one.</summary>
    public static CloudinaryOptions? Parse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "cloudinary" || uri.Host.Length == 0)
        {
            return null;
        }

        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        return new CloudinaryOptions
        {
            CloudName = uri.Host,
            ApiKey = credentials.Length > 0 && credentials[0].Length > 0 ? credentials[0] : null,
            ApiSecret = credentials.Length == 2 && credentials[1].Length > 0 ? credentials[1] : null,
        };
    }
}
