using Media.Api.Imaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetVips;

namespace Media.Api.Tests.Rendering;

/// <summary>
/// The renderer in process, on a picture of four coloured quarters (red top-left, green top-right, blue
/// bottom-left, yellow bottom-right): which part of the picture each gravity keeps, what each fit does to
/// the box, the padding and flattening colour, and that every format is encoded as itself.
/// </summary>
public sealed class RendererTests : IDisposable
{
    private static readonly byte[] Red = [255, 0, 0];
    private static readonly byte[] Green = [0, 255, 0];
    private static readonly byte[] Blue = [0, 0, 255];
    private static readonly byte[] Yellow = [255, 255, 0];
    private static readonly byte[] White = [255, 255, 255];

    private readonly FaceFinder _faces;
    private readonly Renderer _renderer;

    public RendererTests()
    {
        VipsLimits.Apply();
        var options = Options.Create(new MediaOptions { MaxDimension = 1000, FaceCascadePath = "/nonexistent/cascade.xml" });
        _faces = new FaceFinder(options, NullLogger<FaceFinder>.Instance);
        _renderer = new Renderer(_faces, options);
    }

    public void Dispose() => _faces.Dispose();

    /// <summary>
    /// A 400×200 picture covering a 100×100 box keeps a 100-wide band of its 200×100 thumbnail: the left,
    /// the middle or the right, by the gravity's east-west part. A 200×400 one keeps the top, middle or
    /// bottom band by its north-south part. Sampled 5 px in from the kept band's corners.
    /// </summary>
    [Theory]
    [InlineData(Gravity.NorthWest, "red red", "red red")]
    [InlineData(Gravity.West, "red red", "red blue")]
    [InlineData(Gravity.SouthWest, "red red", "blue blue")]
    [InlineData(Gravity.North, "red green", "red red")]
    [InlineData(Gravity.Centre, "red green", "red blue")]
    [InlineData(Gravity.South, "red green", "blue blue")]
    [InlineData(Gravity.NorthEast, "green green", "red red")]
    [InlineData(Gravity.East, "green green", "red blue")]
    [InlineData(Gravity.SouthEast, "green green", "blue blue")]
    public void EachCompassGravityKeepsItsSideOfThePicture(Gravity gravity, string landscapeTop, string portraitLeft)
    {
        using var landscape = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, 100, Fit.Cover, gravity, null, ImageFormat.Png)));
        Assert.Equal((100, 100), (landscape.Width, landscape.Height));
        Assert.Equal(landscapeTop, $"{Colour(landscape, 5, 5)} {Colour(landscape, 94, 5)}");

        using var portrait = Decode(Render(Quarters(200, 400), 200, 400, new RenderSpec(100, 100, Fit.Cover, gravity, null, ImageFormat.Png)));
        Assert.Equal((100, 100), (portrait.Width, portrait.Height));
        Assert.Equal(portraitLeft, $"{Colour(portrait, 5, 5)} {Colour(portrait, 5, 94)}");
    }

    [Fact]
    public void FaceGravityWithoutACascadeCropsToTheBoxAtTheMostInterestingPart()
    {
        Assert.False(_faces.Available);
        using var face = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, 100, Fit.Cover, Gravity.Face, null, ImageFormat.Png)));
        Assert.Equal((100, 100), (face.Width, face.Height));
    }

    [Fact]
    public void FillStretchesInsideKeepsTheShapeAndContainPadsWithWhiteOrNothing()
    {
        using var filled = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, 100, Fit.Fill, Gravity.Centre, null, ImageFormat.Png)));
        Assert.Equal((100, 100), (filled.Width, filled.Height));
        Assert.Equal("red yellow", $"{Colour(filled, 5, 5)} {Colour(filled, 94, 94)}");

        using var inside = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, 100, Fit.Inside, Gravity.Centre, null, ImageFormat.Png)));
        Assert.Equal((100, 50), (inside.Width, inside.Height));

        using var widthOnly = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, null, Fit.Cover, Gravity.Centre, null, ImageFormat.Png)));
        Assert.Equal((100, 50), (widthOnly.Width, widthOnly.Height));

        using var padded = Decode(Render(Quarters(400, 200), 400, 200, new RenderSpec(100, 100, Fit.Contain, Gravity.Centre, null, ImageFormat.Png)));
        Assert.Equal((100, 100), (padded.Width, padded.Height));
        Assert.Equal("white red white yellow", $"{Colour(padded, 50, 5)} {Colour(padded, 5, 30)} {Colour(padded, 50, 94)} {Colour(padded, 94, 70)}");

        using var clear = Decode(Render(Quarters(400, 200, alpha: true), 400, 200, new RenderSpec(100, 100, Fit.Contain, Gravity.Centre, null, ImageFormat.Png)));
        Assert.Equal((100, 100, 4), (clear.Width, clear.Height, clear.Bands));
        Assert.Equal(0, clear.Getpoint(50, 5)[3]);
        Assert.Equal(255, clear.Getpoint(5, 30)[3]);
    }

    [Fact]
    public void AJpegOfATransparentPictureIsFlattenedOntoWhite()
    {
        using var jpeg = Decode(Render(Quarters(400, 200, alpha: true), 400, 200, new RenderSpec(100, 100, Fit.Contain, Gravity.Centre, 95, ImageFormat.Jpeg)));
        Assert.Equal(3, jpeg.Bands);
        Assert.Equal("white red", $"{Colour(jpeg, 50, 5)} {Colour(jpeg, 5, 30)}");
    }

    [Fact]
    public void AGreyPictureIsPaddedWithWhiteAndASixteenBitOneKeepsItsColours()
    {
        using var grey = NetVips.Image.Black(400, 200) + 40;
        var greyPng = grey.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Bw).PngsaveBuffer();
        using var padded = Decode(Render(greyPng, 400, 200, new RenderSpec(100, 100, Fit.Contain, Gravity.Centre, 95, ImageFormat.Jpeg)));
        Assert.Equal((100, 100), (padded.Width, padded.Height));
        Assert.True(padded.Getpoint(50, 5)[0] > 240, "the padding is white");
        Assert.InRange(padded.Getpoint(50, 50)[0], 30, 50);

        // 16 bits a channel (interpretation RGB16): rendered as 8-bit sRGB, not clipped to white.
        using var quarters = Decode(Quarters(400, 200));
        var deep = (quarters.Cast(Enums.BandFormat.Ushort) * 257).Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16).PngsaveBuffer(bitdepth: 16);
        foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.Png })
        {
            using var shallow = Decode(Render(deep, 400, 200, new RenderSpec(100, 100, Fit.Cover, Gravity.Centre, 95, format)));
            Assert.Equal(Enums.BandFormat.Uchar, shallow.Format);
            Assert.Equal("red green", $"{Colour(shallow, 5, 5)} {Colour(shallow, 94, 5)}");
        }
    }

    [Theory]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Webp)]
    [InlineData(ImageFormat.Avif)]
    public void EachFormatIsEncodedAsItselfAtTheBoxsSize(ImageFormat format)
    {
        var rendered = _renderer.Render(Quarters(400, 200), new ImageHeader(ImageFormat.Png, 400, 200), new RenderSpec(64, 48, Fit.Cover, Gravity.Centre, null, format));

        Assert.Equal(format, ImageFormats.Sniff(rendered.Bytes));
        Assert.Equal((64, 48, format), (rendered.Width, rendered.Height, rendered.Format));
        using var decoded = Decode(rendered.Bytes);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void ALowerQualityGivesFewerBytes()
    {
        var photo = Pictures.Jpeg(600, 400);
        var header = new ImageHeader(ImageFormat.Jpeg, 600, 400);
        foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.Avif })
        {
            var low = _renderer.Render(photo, header, new RenderSpec(300, 200, Fit.Cover, Gravity.Centre, 20, format)).Bytes.Length;
            var high = _renderer.Render(photo, header, new RenderSpec(300, 200, Fit.Cover, Gravity.Centre, 95, format)).Bytes.Length;
            Assert.True(low < high, $"{format}: q=20 gave {low} bytes, q=95 gave {high}");
        }
    }

    [Fact]
    public void PlaceholderPixelsAreRgbaInsideTheSideAndTheTinyPreviewIsASmallJpeg()
    {
        var (rgba, width, height) = Renderer.Pixels(Quarters(400, 200), 32);
        Assert.Equal((32, 16), (width, height));
        Assert.Equal(32 * 16 * 4, rgba.Length);
        Assert.Equal("red", Colour(rgba[..3]));
        Assert.Equal(255, rgba[3]);

        var (clear, _, _) = Renderer.Pixels(Transparent(64, 32), 32);
        Assert.Equal(32 * 16 * 4, clear.Length);
        Assert.Equal(0, clear[3]);

        using var white = Decode(Renderer.TinyBlurred(Transparent(64, 32)));
        Assert.Equal("white", Colour(white, 12, 6));

        var tiny = Renderer.TinyBlurred(Quarters(400, 200, alpha: true));
        Assert.Equal(ImageFormat.Jpeg, ImageFormats.Sniff(tiny));
        Assert.True(tiny.Length < 1024, $"{tiny.Length} bytes");
        using var decoded = Decode(tiny);
        Assert.Equal((24, 12), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void VerifyReadsEveryPixelAndRefusesACutFile()
    {
        foreach (var (format, bytes) in new[] { (ImageFormat.Jpeg, Pictures.Jpeg(64, 64)), (ImageFormat.Png, Pictures.Png(64, 64)), (ImageFormat.Webp, Pictures.Webp(64, 64)), (ImageFormat.Avif, Pictures.Avif(64, 64)) })
        {
            Renderer.Verify(bytes, format);
            Assert.ThrowsAny<VipsException>(() => Renderer.Verify(bytes[..(bytes.Length * 2 / 3)], format));
        }
    }

    private byte[] Render(byte[] original, int width, int height, RenderSpec spec)
        => _renderer.Render(original, new ImageHeader(ImageFormat.Png, width, height), spec).Bytes;

    private static Image Decode(byte[] bytes) => Image.NewFromBuffer(bytes).CopyMemory();

    /// <summary>The named colour nearest the pixel's, or "other".</summary>
    private static string Colour(Image image, int x, int y) => Colour(image.Getpoint(x, y));

    private static string Colour(IReadOnlyList<double> pixel)
    {
        foreach (var (name, rgb) in new[] { ("red", Red), ("green", Green), ("blue", Blue), ("yellow", Yellow), ("white", White) })
        {
            if (Math.Abs(pixel[0] - rgb[0]) < 40 && Math.Abs(pixel[1] - rgb[1]) < 40 && Math.Abs(pixel[2] - rgb[2]) < 40)
            {
                return name;
            }
        }

        return $"other({string.Join(',', pixel.Select(v => (int)v))})";
    }

    private static string Colour(byte[] rgb) => Colour([.. rgb.Select(b => (double)b)]);

    /// <summary>A PNG with every pixel black and wholly transparent.</summary>
    private static byte[] Transparent(int width, int height)
    {
        using var image = NetVips.Image.NewFromMemory(new byte[width * height * 4], width, height, 4, Enums.BandFormat.Uchar);
        using var srgb = image.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer();
    }

    /// <summary>A PNG of four coloured quarters; with alpha, every pixel opaque (the padding is what is clear).</summary>
    private static byte[] Quarters(int width, int height, bool alpha = false)
    {
        var bands = alpha ? 4 : 3;
        var pixels = new byte[width * height * bands];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var colour = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => Red,
                    (false, true) => Green,
                    (true, false) => Blue,
                    _ => Yellow,
                };
                var at = (y * width + x) * bands;
                colour.CopyTo(pixels, at);
                if (alpha)
                {
                    pixels[at + 3] = 255;
                }
            }
        }

        using var image = Image.NewFromMemory(pixels, width, height, bands, Enums.BandFormat.Uchar);
        using var srgb = image.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.PngsaveBuffer();
    }
}
