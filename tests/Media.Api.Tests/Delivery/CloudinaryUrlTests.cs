using Media.Api.Delivery;
using Media.Api.Imaging;

namespace Media.Api.Tests.Delivery;

/// <summary>Against CloudinaryDotNet's signature tests (secret "b", cloud "test123") and the documented URL grammar.</summary>
public sealed class CloudinaryUrlTests
{
    [Fact]
    public void TransformedUrlIsSignedOverTransformationAndPublicIdButNotTheVersion()
    {
        var urls = new CloudinaryUrls("test123", "b");

        Assert.Equal("https://res.cloudinary.com/test123/image/upload/s--Ai4Znfl3--/c_crop,h_20,w_10/v1234/image.jpg", urls.Url("image.jpg", 1234, ["w_10", "h_20", "c_crop"]));
        Assert.Equal("https://res.cloudinary.com/test123/image/upload/s--Ai4Znfl3--/c_crop,h_20,w_10/image.jpg", urls.Url("image.jpg", null, ["c_crop", "h_20", "w_10"]));
    }

    [Fact]
    public void UrlWithoutTransformationSignsThePublicIdAlone()
    {
        var urls = new CloudinaryUrls("test123", "b");

        Assert.Equal("https://res.cloudinary.com/test123/image/upload/s----SjmNDA--/v1234/image.jpg", urls.Url("image.jpg", 1234, []));
        Assert.Equal("v2fTPYTu", CloudinaryUrls.Signature("sample.jpg", "b"));
    }

    [Fact]
    public void WithoutASecretTheUrlIsUnsigned()
        => Assert.Equal("https://res.cloudinary.com/demo/image/upload/c_fill,f_auto,g_face,h_400,q_auto,w_400/sample", new CloudinaryUrls("demo", null)
            .Url("sample", null, CloudinaryUrls.Transformation(new RenderSpec(400, 400, Fit.Cover, Gravity.Face, null, ImageFormat.Jpeg)).Append(CloudinaryUrls.FormatParameter(null))));

    [Fact]
    public void CloudinaryUrlSettingIsRead()
    {
        var account = CloudinaryUrls.Parse("cloudinary://123456:abcd@demo");

        Assert.NotNull(account);
        Assert.Equal(("demo", "123456", "abcd"), (account.CloudName, account.ApiKey, account.ApiSecret));
        Assert.Null(CloudinaryUrls.Parse("https://example.org"));
    }
}
