using Hive.Mobile.Connectivity;
using Hive.Mobile.Images;
using Hive.Mobile.Models;

namespace Hive.Mobile.Tests.Images;

public sealed class VariantChooserTests
{
    private static readonly IReadOnlyList<ImageVariant> Named =
    [
        new("full", 1920, 1920, "/f", []),
        new("thumbnail", 150, 150, "/t", []),
        new("medium", 640, 640, "/m", []),
        new("small", 320, 320, "/s", []),
        new("large", 1024, 1024, "/l", []),
    ];

    [Theory]
    [InlineData(100, 100, 1, "thumbnail")]
    [InlineData(100, 100, 2, "small")]
    [InlineData(160, 120, 2, "small")]
    [InlineData(200, 200, 3, "medium")]
    [InlineData(340, 240, 3, "large")]
    [InlineData(1200, 800, 3, "full")]
    public void TheSmallestVariantCoveringTheBoxInDevicePixelsIsChosen(double width, double height, double ratio, string expected)
        => Assert.Equal(expected, VariantChooser.Choose(Named, width, height, ratio, NetworkQuality.Good).Name);

    [Theory]
    [InlineData(NetworkQuality.Good, "medium")]
    [InlineData(NetworkQuality.Moderate, "medium")]
    [InlineData(NetworkQuality.Poor, "small")]
    public void ASlowConnectionSettlesForASmallerVariant(NetworkQuality quality, string expected)
        => Assert.Equal(expected, VariantChooser.Choose(Named, 200, 200, 2.5, quality).Name);

    [Theory]
    [InlineData(new[] { "image/avif", "image/webp", "image/jpeg" }, "/s.avif")]
    [InlineData(new[] { "image/webp", "image/jpeg" }, "/s.webp")]
    [InlineData(new[] { "image/jpg" }, "/s.jpeg")]
    [InlineData(new[] { "image/heic" }, "/s")]
    public void TheVariantsUrlIsTheOneInTheBestFormatThePlatformDecodes(string[] decodable, string expected)
    {
        var small = new ImageVariant("small", 320, 320, "/s", [new("avif", "/s.avif", 9_000), new("webp", "/s.webp", 12_000), new("jpeg", "/s.jpeg", null)]);
        Assert.Equal(expected, VariantChooser.UrlFor(small, decodable));
    }

    [Theory]
    [InlineData(100, 300, 2, "wide-m")]
    [InlineData(300, 100, 1, "wide-s")]
    [InlineData(400, 400, 3, "wide-l")]
    public void ABoxAndAVariantAreMeasuredByTheirLongerSide(double width, double height, double ratio, string expected)
    {
        IReadOnlyList<ImageVariant> wide = [new("wide-l", 1280, 720, "/l", []), new("wide-s", 320, 180, "/s", []), new("wide-m", 640, 360, "/m", [])];

        Assert.Equal(expected, VariantChooser.Choose(wide, width, height, ratio, NetworkQuality.Good).Name);
        Assert.Equal("squat", VariantChooser.Smallest([new("tall", 100, 400, "/t", []), new("squat", 300, 300, "/q", [])]).Name);
    }

    [Fact]
    public void ThereMustBeAVariantToChooseFrom()
    {
        Assert.Throws<ArgumentNullException>(() => VariantChooser.Choose(null!, 1, 1, 1, NetworkQuality.Good));
        Assert.Equal("variants", Assert.Throws<ArgumentException>(() => VariantChooser.Choose([], 1, 1, 1, NetworkQuality.Good)).ParamName);
        Assert.Throws<ArgumentNullException>(() => VariantChooser.UrlFor(null!, ["image/avif"]));
        Assert.Throws<ArgumentNullException>(() => VariantChooser.UrlFor(Named[0], null!));
    }

    [Theory]
    [InlineData("webp", "/s.webp")]
    [InlineData("IMAGE/AVIF", "/s.avif")]
    [InlineData("JPG", "/s.jpeg")]
    public void AFormatMayBeNamedWithOrWithoutItsMediaTypeInAnyCase(string decodable, string expected)
    {
        var small = new ImageVariant("small", 320, 320, "/s", [new("avif", "/s.avif", 9_000), new("webp", "/s.webp", 12_000), new("jpeg", "/s.jpeg", null)]);
        Assert.Equal(expected, VariantChooser.UrlFor(small, [decodable]));
    }

    [Fact]
    public void TheAcceptHeaderNeverRanksAFormatBelowATenth()
        => Assert.Equal(
            "a, b;q=0.9, c;q=0.8, d;q=0.7, e;q=0.6, f;q=0.5, g;q=0.4, h;q=0.3, i;q=0.2, j;q=0.1, k;q=0.1",
            VariantChooser.AcceptHeader(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]));

    [Fact]
    public void TheAcceptHeaderPrefersTheBestDecodableFormat()
        => Assert.Equal("image/avif, image/webp;q=0.9, image/jpeg;q=0.8", VariantChooser.AcceptHeader(["image/avif", "image/webp", "image/jpeg"]));
}
