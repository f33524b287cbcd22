using System.Globalization;
using System.Text;
using Hive.Seeding;
using Media.Api.Data;
using Media.Api.Imaging;
using Media.Api.Placeholders;
using Media.Api.Storage;

namespace Media.Api.Tests.Storage;

public sealed class SeededDemoPlaceholderTests
{
    /// <summary>
    /// The seeder writes the demo images' placeholders from a table; media draws the designs later. The
    /// table must describe what media draws: same aspect, the same average colour (within rounding, since
    /// another CPU may resample a least significant bit differently), the same BlurHash size and DC colour.
    /// </summary>
    [Fact]
    public void SeededPlaceholdersAreWhatMediaComputesFromTheDesignsItDraws()
    {
        var mismatches = new List<string>();
        var table = new StringBuilder();
        foreach (var (design, width, height) in DemoImages.All())
        {
            var bytes = DemoOriginals.Draw($"demo/{design}-{width}x{height}.jpg")!;
            var (thumbHash, blurHash) = ImageIntake.Placeholders(bytes, new ImageHeader(ImageFormat.Jpeg, width, height));
            table.AppendLine(CultureInfo.InvariantCulture, $"        [({design}, {width}, {height})] = new(\"{thumbHash}\", \"{blurHash}\", {bytes.Length}),");

            DemoPlaceholder seeded;
            try
            {
                seeded = DemoImages.Placeholder(design, width, height);
            }
            catch (ArgumentException)
            {
                mismatches.Add($"{design} {width}x{height}: missing");
                continue;
            }

            var expected = Convert.FromBase64String(thumbHash);
            var actual = Convert.FromBase64String(seeded.ThumbHash);
            var (er, eg, eb, _) = ThumbHash.AverageRgba(expected);
            var (ar, ag, ab, _) = ThumbHash.AverageRgba(actual);
            if (Math.Abs(ThumbHash.AspectRatio(expected) - ThumbHash.AspectRatio(actual)) > 1e-9
                || Math.Max(Math.Abs(er - ar), Math.Max(Math.Abs(eg - ag), Math.Abs(eb - ab))) > 3 / 255.0
                || seeded.BlurHash.Length != blurHash.Length
                || seeded.BlurHash[0] != blurHash[0]
                || !Near(BlurHashDc(seeded.BlurHash), BlurHashDc(blurHash))
                || Math.Abs(seeded.Bytes - bytes.Length) > bytes.Length / 20)
            {
                mismatches.Add($"{design} {width}x{height}: seeded {seeded}, media computes ({thumbHash}, {blurHash}, {bytes.Length})");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n\nThe table media computes:\n" + table);
    }

    private static int BlurHashDc(string hash)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
        return hash.Substring(2, 4).Aggregate(0, (value, c) => (value * 83) + Digits.IndexOf(c, StringComparison.Ordinal));
    }

    private static bool Near(int rgb, int other)
        => Enumerable.Range(0, 3).All(shift => Math.Abs(((rgb >> (shift * 8)) & 0xff) - ((other >> (shift * 8)) & 0xff)) <= 3);
}
