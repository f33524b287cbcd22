using Media.Api.Delivery;
using Media.Api.Imaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Media.Api.Tests.Rendering;

/// <summary>
/// The rules of a rendering URL and its box, each at its edges: every spelling of fit and gravity, the
/// ranges of w, h, q and v, what each maps to in Cloudinary's grammar, and the box a fit gives.
/// </summary>
public sealed class RenderRuleTests
{
    private const int Max = 4096;

    [Theory]
    [InlineData("cover", Fit.Cover)]
    [InlineData("fill-crop", Fit.Cover)]
    [InlineData("contain", Fit.Contain)]
    [InlineData("pad", Fit.Contain)]
    [InlineData("fill", Fit.Fill)]
    [InlineData("stretch", Fit.Fill)]
    [InlineData("inside", Fit.Inside)]
    [InlineData("LIMIT", Fit.Inside)]
    public void EverySpellingOfAFitIsRead(string text, Fit expected)
    {
        Assert.True(Fits.TryParse(text, out var fit));
        Assert.Equal(expected, fit);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("16:9", 1.78)]
    [InlineData("16/9", 1.78)]
    [InlineData("4:3", 1.33)]
    [InlineData("1:4", 0.25)]
    [InlineData("4", 4.0)]
    [InlineData("0.249", 0.25)]
    [InlineData("4.004", 4.0)]
    [InlineData("1e0", 1.0)]
    [InlineData("0.24", null)]
    [InlineData("4.01", null)]
    [InlineData("1:5", null)]
    [InlineData("16:0", null)]
    [InlineData("16:-9", null)]
    [InlineData("16:9:1", null)]
    [InlineData("16:", null)]
    [InlineData(":9", null)]
    [InlineData("banana", null)]
    [InlineData("NaN", null)]
    [InlineData("Infinity", null)]
    [InlineData("", null)]
    public void AnAspectRatioIsANumberOrWidthOverHeightRoundedToTwoPlacesWithinOneToFourEitherWay(string text, double? expected)
        => Assert.Equal(expected, ResponsiveSets.ParseAspectRatio(text));

    [Theory]
    [InlineData("centre", Gravity.Centre)]
    [InlineData("center", Gravity.Centre)]
    [InlineData("attention", Gravity.Attention)]
    [InlineData("auto", Gravity.Attention)]
    [InlineData("face", Gravity.Face)]
    [InlineData("north", Gravity.North)]
    [InlineData("northeast", Gravity.NorthEast)]
    [InlineData("north_east", Gravity.NorthEast)]
    [InlineData("east", Gravity.East)]
    [InlineData("southeast", Gravity.SouthEast)]
    [InlineData("south_east", Gravity.SouthEast)]
    [InlineData("south", Gravity.South)]
    [InlineData("southwest", Gravity.SouthWest)]
    [InlineData("south_west", Gravity.SouthWest)]
    [InlineData("west", Gravity.West)]
    [InlineData("northwest", Gravity.NorthWest)]
    [InlineData("North_West", Gravity.NorthWest)]
    public void EverySpellingOfAGravityIsRead(string text, Gravity expected)
    {
        Assert.True(Fits.TryParseGravity(text, out var gravity));
        Assert.Equal(expected, gravity);
    }

    [Fact]
    public void AnUnknownFitOrGravityIsNotRead()
    {
        Assert.False(Fits.TryParse("crop", out _));
        Assert.False(Fits.TryParse("", out _));
        Assert.False(Fits.TryParseGravity("up", out _));
        Assert.False(Fits.TryParseGravity(null, out _));
    }

    [Theory]
    [InlineData("w", "1")]
    [InlineData("w", "4096")]
    [InlineData("h", "1")]
    [InlineData("h", "4096")]
    [InlineData("q", "1")]
    [InlineData("q", "100")]
    [InlineData("q", "auto")]
    [InlineData("v", "1")]
    public void EachParameterIsTakenAtItsEdges(string key, string value)
        => Assert.True(RenderRequest.TryParse(7, Query((key, value)), Max, out _, out var error), error.Detail);

    [Theory]
    [InlineData("w", "0", "w must be a whole number from 1 to 4096, got '0'.")]
    [InlineData("w", "4097", "w must be a whole number from 1 to 4096, got '4097'.")]
    [InlineData("h", "0", "h must be a whole number from 1 to 4096, got '0'.")]
    [InlineData("h", "4097", "h must be a whole number from 1 to 4096, got '4097'.")]
    [InlineData("q", "0", "q must be 'auto' or a whole number from 1 to 100, got '0'.")]
    [InlineData("q", "101", "q must be 'auto' or a whole number from 1 to 100, got '101'.")]
    [InlineData("q", "high", "q must be 'auto' or a whole number from 1 to 100, got 'high'.")]
    [InlineData("v", "0", "v must be a positive whole number (the image version), got '0'.")]
    [InlineData("v", "x", "v must be a positive whole number (the image version), got 'x'.")]
    public void OneStepPastAnEdgeIsRefusedNamingTheRule(string key, string value, string detail)
    {
        Assert.False(RenderRequest.TryParse(7, Query((key, value)), Max, out _, out var error));
        Assert.Equal((key, detail), error);
    }

    [Fact]
    public void AParameterGivenTwiceIsRefusedAndALongValueIsClippedInTheAnswer()
    {
        var twice = new QueryCollection(new Dictionary<string, StringValues> { ["w"] = new(["100", "200"]) });
        Assert.False(RenderRequest.TryParse(7, twice, Max, out _, out var error));
        Assert.Equal(("w", "'w' is given more than once."), error);

        var exactly40 = new string('9', 40);
        Assert.False(RenderRequest.TryParse(7, Query(("q", exactly40)), Max, out _, out error));
        Assert.EndsWith($"got '{exactly40}'.", error.Detail, StringComparison.Ordinal);
        Assert.False(RenderRequest.TryParse(7, Query(("q", exactly40 + "9")), Max, out _, out error));
        Assert.EndsWith($"got '{exactly40}…'.", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCanonicalQueryNamesQualityAndFormatAutoWhenNotGiven()
    {
        Assert.True(RenderRequest.TryParse(7, Query(("w", "300")), Max, out var request, out _));
        Assert.Contains("q=auto", request.Query(), StringComparison.Ordinal);
        Assert.Contains("format=auto", request.Query(), StringComparison.Ordinal);
        Assert.True(RenderRequest.TryParse(7, Query(("w", "300"), ("q", "55"), ("format", "webp")), Max, out var given, out _));
        Assert.Contains("q=55", given.Query(), StringComparison.Ordinal);
        Assert.Contains("format=webp", given.Query(), StringComparison.Ordinal);
        Assert.NotEqual(request.Canonical, given.Canonical);
    }

    [Theory]
    [InlineData(ImageFormat.Avif, 55)]
    [InlineData(ImageFormat.Webp, 78)]
    [InlineData(ImageFormat.Jpeg, 80)]
    [InlineData(ImageFormat.Png, 100)]
    public void AutoQualityIsChosenPerFormatAndAGivenOneWins(ImageFormat format, int auto)
    {
        Assert.Equal(auto, new RenderSpec(100, 100, Fit.Cover, Gravity.Centre, null, format).EffectiveQuality);
        Assert.Equal(33, new RenderSpec(100, 100, Fit.Cover, Gravity.Centre, 33, format).EffectiveQuality);
    }

    [Theory]
    [InlineData(Fit.Cover, "c_fill")]
    [InlineData(Fit.Contain, "c_pad")]
    [InlineData(Fit.Fill, "c_scale")]
    [InlineData(Fit.Inside, "c_limit")]
    public void EachFitHasItsCloudinaryCrop(Fit fit, string crop)
    {
        var parameters = CloudinaryUrls.Transformation(new RenderSpec(300, 200, fit, Gravity.North, 70, ImageFormat.Webp)).ToList();

        Assert.Equal(crop, parameters.Single(p => p.StartsWith("c_", StringComparison.Ordinal)));
        Assert.Contains("q_70", parameters);
        // Only cropping and padding fits place the image; Cloudinary refuses a gravity with the others.
        Assert.Equal(fit is Fit.Cover or Fit.Contain ? ["g_north"] : [], parameters.Where(p => p.StartsWith("g_", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(Gravity.Centre, "g_center")]
    [InlineData(Gravity.Attention, "g_auto")]
    [InlineData(Gravity.Face, "g_face")]
    [InlineData(Gravity.East, "g_east")]
    [InlineData(Gravity.NorthEast, "g_north_east")]
    [InlineData(Gravity.SouthEast, "g_south_east")]
    [InlineData(Gravity.SouthWest, "g_south_west")]
    [InlineData(Gravity.NorthWest, "g_north_west")]
    public void EachGravityHasItsCloudinaryName(Gravity gravity, string name)
        => Assert.Contains(name, CloudinaryUrls.Transformation(new RenderSpec(300, 300, Fit.Contain, gravity, null, ImageFormat.Jpeg)));

    [Fact]
    public void FormatsAndAutoQualityHaveTheirCloudinaryNamesAndEmptyParametersAreLeftOut()
    {
        Assert.Equal(["f_auto", "f_jpg", "f_png", "f_webp", "f_avif"], new ImageFormat?[] { null, ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.Webp, ImageFormat.Avif }.Select(CloudinaryUrls.FormatParameter));
        Assert.Contains("q_auto", CloudinaryUrls.Transformation(new RenderSpec(300, null, Fit.Inside, Gravity.Centre, null, ImageFormat.Jpeg)));
        Assert.Equal("https://res.cloudinary.com/demo/image/upload/w_10/sample", new CloudinaryUrls("demo", null).Url("sample", null, ["", "w_10", ""]));
    }

    [Fact]
    public void ACloudinaryUrlMayLeaveOutItsKeyOrSecret()
    {
        Assert.Equal(("demo", "key", null), Account(CloudinaryUrls.Parse("cloudinary://key@demo")));
        Assert.Equal(("demo", "key", null), Account(CloudinaryUrls.Parse("cloudinary://key:@demo")));
        Assert.Equal(("demo", null, "secret"), Account(CloudinaryUrls.Parse("cloudinary://:secret@demo")));
        Assert.Equal(("demo", null, null), Account(CloudinaryUrls.Parse("cloudinary://demo")));
    }

    [Theory]
    // Inside: the longer way limits; one side given leaves the other free; none gives the service's maximum.
    [InlineData(Fit.Inside, 800, null, 800, 600)]
    [InlineData(Fit.Inside, null, 300, 400, 300)]
    [InlineData(Fit.Inside, null, null, 4000, 3000)]
    [InlineData(Fit.Inside, 800, 800, 800, 600)]
    [InlineData(Fit.Cover, 800, null, 800, 600)]
    // Never enlarged: a box bigger than the original shrinks to it.
    [InlineData(Fit.Inside, 8000, null, 4000, 3000)]
    [InlineData(Fit.Inside, null, 6000, 4000, 3000)]
    // Contain: the box itself while the image shrinks into it (a wide box pads), else the box shrinks keeping its shape.
    [InlineData(Fit.Contain, 800, 800, 800, 800)]
    [InlineData(Fit.Contain, 6000, 1000, 6000, 1000)]
    [InlineData(Fit.Contain, 8000, 8000, 4000, 4000)]
    [InlineData(Fit.Contain, 8000, 6000, 4000, 3000)]
    // Cover and fill: the box, unless a side is longer than the original's; then the box shrinks keeping its shape.
    [InlineData(Fit.Cover, 800, 800, 800, 800)]
    [InlineData(Fit.Cover, 6000, 1500, 4000, 1000)]
    [InlineData(Fit.Fill, 1000, 6000, 500, 3000)]
    public void TheBoxOfEachFit(Fit fit, int? width, int? height, int boxWidth, int boxHeight)
        => Assert.Equal((boxWidth, boxHeight), RenderGeometry.Box(4000, 3000, new RenderSpec(width, height, fit, Gravity.Centre, null, ImageFormat.Jpeg), maxDimension: 4096));

    [Fact]
    public void WithNoSideGivenTheServicesMaximumLimitsTheLongerSide()
        => Assert.Equal((2000, 1500), RenderGeometry.Box(4000, 3000, new RenderSpec(null, null, Fit.Inside, Gravity.Centre, null, ImageFormat.Jpeg), maxDimension: 2000));

    private static (string?, string?, string?) Account(CloudinaryOptions? options)
        => (options?.CloudName, options?.ApiKey, options?.ApiSecret);

    private static QueryCollection Query(params (string Key, string Value)[] pairs)
        => new(pairs.ToDictionary(p => p.Key, p => new StringValues(p.Value)));
}
