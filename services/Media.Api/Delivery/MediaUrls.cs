using System.Globalization;
using Media.Api.Data;
using Media.Api.Imaging;
using Microsoft.Extensions.Options;

namespace Media.Api.Delivery;

/// <summary>
/// The URLs media hands out: signed rendering URLs of this service (relative, so they work through the
/// gateway), or, in Cloudinary mode, Cloudinary delivery URLs with the same transformations.
/// </summary>
public sealed class MediaUrls
{
    private readonly UrlSigner _signer;
    private readonly CloudinaryUrls? _cloudinary;

    public MediaUrls(UrlSigner signer, IOptions<MediaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _signer = signer;
        var cloudinary = options.Value.Cloudinary;
        _cloudinary = cloudinary.Enabled ? new CloudinaryUrls(cloudinary.CloudName!, cloudinary.ApiSecret) : null;
    }

    public bool CloudinaryMode => _cloudinary is not null;

    /// <summary>The Cloudinary public id an operator uploads the original under.</summary>
    public static string CloudinaryPublicId(MediaImage image)
        => string.Create(CultureInfo.InvariantCulture, $"hive/products/{image.ProductId}/{image.Id}");

    public string For(MediaImage image, int? width, int? height, Fit fit, Gravity gravity, int? quality, ImageFormat? format)
    {
        ArgumentNullException.ThrowIfNull(image);
        var request = new RenderRequest(image.Id, image.Version, width, height, quality, format, fit, gravity);
        if (_cloudinary is not null)
        {
            var transformation = CloudinaryUrls.Transformation(request.Spec(format ?? ImageFormat.Jpeg))
                .Append(CloudinaryUrls.FormatParameter(format));
            return _cloudinary.Url(CloudinaryPublicId(image), image.Version, transformation);
        }

        return string.Create(CultureInfo.InvariantCulture, $"/api/media/images/{image.Id}?{request.Query()}&sig={_signer.Sign(request.Canonical)}");
    }

    public string Variant(MediaImage image, NamedVariant variant, ImageFormat? format)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return For(image, variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, format);
    }
}
