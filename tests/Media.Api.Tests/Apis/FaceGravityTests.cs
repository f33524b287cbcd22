using System.Net;
using Media.Api.Imaging;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace Media.Api.Tests.Apis;

/// <summary>With real photographs from Debian's python3-skimage: astronaut.png (Eileen Collins, a face) and coffee.png (no face).</summary>
[Collection(MediaCollection.Name)]
public sealed class FaceGravityTests(MediaFixture fixture)
{
    [Fact]
    public async Task TheAstronautsFaceIsFoundWhereItIs()
    {
        var faces = fixture.Factory.Services.GetRequiredService<FaceFinder>();
        using var astronaut = Image.NewFromFile(await DebianSamples.AstronautAsync());

        var centre = faces.FindCentre(astronaut);

        Assert.True(faces.Available);
        Assert.NotNull(centre);
        // Her face is in the upper middle of the 512×512 picture.
        Assert.InRange(centre.Value.X, 180, 300);
        Assert.InRange(centre.Value.Y, 60, 180);
    }

    [Fact]
    public async Task ACupOfCoffeeHasNoFace()
    {
        var faces = fixture.Factory.Services.GetRequiredService<FaceFinder>();
        using var coffee = Image.NewFromFile(await DebianSamples.CoffeeAsync());

        Assert.Null(faces.FindCentre(coffee));
    }

    [Fact]
    public async Task FaceGravityCropsAroundTheFaceWhereCentreCropsTheMiddle()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(5, await File.ReadAllBytesAsync(await DebianSamples.AstronautAsync()));

        using var face = await Render(image, Gravity.Face);
        using var centre = await Render(image, Gravity.Centre);

        // A 512×128 strip: centred it shows her suit (y 192–320); with face gravity it shows the face band.
        using var source = Image.NewFromFile(await DebianSamples.AstronautAsync());
        using var faceBand = source.ExtractArea(0, 40, 512, 128);
        Assert.True(Difference(face, faceBand) < Difference(centre, faceBand), "the face crop matches the face band better than the centre crop");
    }

    [Fact]
    public async Task WithoutAFaceGravityFaceFallsBackToAttention()
    {
        using var seller = fixture.Seller(MediaFixture.BusinessA);
        var image = await seller.UploadOkAsync(5, await File.ReadAllBytesAsync(await DebianSamples.CoffeeAsync()));

        using var face = await Render(image, Gravity.Face, 200, 200);
        using var attention = await Render(image, Gravity.Attention, 200, 200);

        Assert.True(Difference(face, attention) < 3, "face gravity without a face renders as attention does");
    }

    private async Task<Image> Render(Api.Apis.ImageAnswer image, Gravity gravity, int width = 512, int height = 128)
    {
        using var response = await fixture.Anonymous().GetImageAsync(fixture.SignedUrl(image.Id, image.Version, width, height, Fit.Cover, gravity, ImageFormat.Png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
    }

    private static double Difference(Image a, Image b)
    {
        using var a3 = a.ExtractBand(0, n: 3).Cast(Enums.BandFormat.Float);
        using var b3 = b.ExtractBand(0, n: 3).Cast(Enums.BandFormat.Float);
        using var diff = (a3 - b3).Abs();
        return diff.Avg();
    }
}
