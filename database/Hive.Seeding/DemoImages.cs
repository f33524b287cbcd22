using System.Globalization;

namespace Hive.Seeding;

/// <summary>
/// The seeded images: one of twelve demo designs (drawn by media on first use, see
/// <c>services/Media.Api/Storage/DemoOriginals.cs</c>) at one of <see cref="KenyanMarketplace.ImageSizes"/>.
/// Their placeholders are seeded with the rows, so catalog and search answers carry them from the first
/// request: the table below is what media's own encoders compute from the drawn designs, and
/// Media.Api.Tests (<c>SeededDemoPlaceholderTests</c>) recomputes every entry to keep it honest.
/// </summary>
public static class DemoImages
{
    public const int Designs = 12;

    public static string StorageKey(long imageId, int width, int height)
        => string.Create(CultureInfo.InvariantCulture, $"demo/{imageId % Designs}-{width}x{height}.jpg");

    /// <summary>Every (design, size) a seed can produce.</summary>
    public static IEnumerable<(int Design, int Width, int Height)> All()
        => Enumerable.Range(0, Designs).SelectMany(design => KenyanMarketplace.ImageSizes.Select(size =>
        {
            var x = size.IndexOf('x', StringComparison.Ordinal);
            return (design, int.Parse(size.AsSpan(0, x), CultureInfo.InvariantCulture), int.Parse(size.AsSpan(x + 1), CultureInfo.InvariantCulture));
        }));

    /// <summary>The ThumbHash (base64), BlurHash and JPEG size of a design at a size.</summary>
    public static DemoPlaceholder Placeholder(int design, int width, int height)
        => Table.TryGetValue((design, width, height), out var placeholder)
            ? placeholder
            : throw new ArgumentException($"No demo design {design} at {width}x{height}.");

    private static readonly Dictionary<(int Design, int Width, int Height), DemoPlaceholder> Table = new()
    {
        [(0, 800, 800)] = new("KZoKHwgQjHdjloigW2eZR3eKeD34z4wN", "LdQtZIHtL~yEIEWAVsozHqo~t,VY", 25075),
        [(0, 1200, 900)] = new("aKoKHYggjIVzlniSW4eZdOWE/8zI", "LUQa8ID6HqyYH]WAVso}Hqo~t-Q-", 39459),
        [(0, 1080, 1350)] = new("aKoKHgggiydmiAi6dZZqdceHxoP/7Og=", "LZQaEaHtMIyEH^WAVsozHqo~t,R5", 47278),
        [(0, 1600, 1200)] = new("aKoKHYggjIVzlniSW4eZdOWE/8zI", "LUQa8ID6HqyYH]WAVso}Hqo~t-Q-", 56938),
        [(0, 640, 640)] = new("KZoKHwgQjHdjloigW2eZR3eKeD34z40N", "LdQtZIHtL~yEIEWAVsozHqo~t,VY", 20447),
        [(1, 800, 800)] = new("opgJFwYgi3djloihW2eZV3eJCBRHEWQA", "LZHWJ24;4:?GMzRkNGt60e%2-pIo", 22512),
        [(1, 1200, 900)] = new("oIgJFYQgjIVzlniSW3eZdFByBTEG", "LRGJ[p4p0f^*ICRkM|xa0e%2=|E1", 36497),
        [(1, 1080, 1350)] = new("oYgJFgYgixdmiAi6dZZqdceHUXAkMgc=", "LWGc|[9H56=|D+R*NGt60e%2-pIo", 43859),
        [(1, 1600, 1200)] = new("oIgJFYQgjIVzlniSW3eZdFByBTEG", "LRGJ[q4p0f^*ICRkM|xa0e%2=|E1", 52698),
        [(1, 640, 640)] = new("opgJFwYgi3djloihW2eZR3eJCBRHEWQA", "LZHWJ24;4:?GMzRkNGt60e%2-pIo", 18298),
        [(2, 800, 800)] = new("X9cJTwZAiXdyhniTameZZ3eISHIHJ3oA", "LdHB=49b5H=:R4R.NLt20=$w-gIw", 24796),
        [(2, 1200, 900)] = new("38YJPYRAioZyh3iFaXeYdhR2gKEH", "LUF$eg9G0=^YMeR.NMxU0=$w=;ET", 40115),
        [(2, 1080, 1350)] = new("H8cFRgZAiQd3iDepdpZ5dqeHJHdwogc=", "LaG95TD+5H=;MdR.NLs+0=$x-gIw", 48265),
        [(2, 1600, 1200)] = new("38YJPYRAioZyh3iFaXeYdhR2gKEH", "LUF$ef9G0=^YMeR.NMxU0=$w=;ET", 58340),
        [(2, 640, 640)] = new("X9cJTwZAiXdyhniTameZZ3eJSHIHJ3oA", "LdHB=49b5H=:R4R.NLt20=$w-gIw", 20619),
        [(3, 800, 800)] = new("11kGHwTVgoeBeXhfpGdnuIiFp33424gP", "LJHc#}IV^N9w58s:s.R+}=I;EN$%", 22161),
        [(3, 1200, 900)] = new("2FkGFYLigHmCaYhftFdnfOmIz574", "LEH]]o4;^O0$58s:xFNb}=I;9^-T", 36108),
        [(3, 1080, 1350)] = new("2FkGFgTEgweIh/dFenaWiil42oe/nfg=", "LHH]?hE2=wEN0gs:s.R+}=I;EN$%", 43474),
        [(3, 1600, 1200)] = new("2FkGFYLigHmCaYhftFdnfOmIz574", "LEI3aH4;^O0$58s:xFNb}=I;9^-T", 52652),
        [(3, 640, 640)] = new("11kGHwTVgoeBeXhfpGdnuIiFp33424gP", "LIHc#}IV^N9w58s:s.R+}=I;EN$%", 18079),
        [(4, 800, 800)] = new("53YKDwQgi3djhoiRW2eZV3eJCDEG2IUP", "LXLfU?0d4o.79@RjM{t74Ux[-;IV", 23405),
        [(4, 1200, 900)] = new("5XYKDYQwi4VzlniTWneZdCBzcm74", "LUK+]a0d8{?u9sV@M{xt8{x[-:IB", 37198),
        [(4, 1080, 1350)] = new("5nYKDgQgixdmiBi6dZZqdbeHIGKAXfg=", "LUL34?4.8{.75PV@M{t74Ux[-;IU", 44414),
        [(4, 1600, 1200)] = new("5XYKDYQwi4VzlniTWneZdCBjcm74", "LVK+{h0d8{?t9sV@M{tQ8{xu-:IB", 52950),
        [(4, 640, 640)] = new("53YKDwQgi3djhoiRW2eZV3eJCDEG2IUP", "LXLfU?0d4o.79@RjM{t74Ux[-;IV", 19166),
        [(5, 800, 800)] = new("E1kKJwpAiXdyh3iEaWeYZ3eISHIHJHcA", "LXGii#9]6Q;zM|SgNvsn1|$4,qJm", 21918),
        [(5, 1200, 900)] = new("00gKHYhQiXZyh3iFaXeIdhR2QGEH", "LPFWX;5k1|]7IoSgNww^1|$4;}F1", 35926),
        [(5, 1080, 1350)] = new("00gGHgpQiQd3iEepdpZ5dpeIJHZAYgc=", "LTFpa29]6Q;zIoSgNwsm1|$4;}JT", 42548),
        [(5, 1600, 1200)] = new("00gKHYhQiXZyh3iFaXeIdhR2QGEH", "LPFWX;5k1|]7IoSgNww^1|$4;}F1", 52169),
        [(5, 640, 640)] = new("E1kKJwpAiXdyh3iEaWeYZ3eISHIHJHcA", "LXGiiz9]6Q;zM|SgNvsn1|$4,qJm", 17870),
        [(6, 800, 800)] = new("IzoGRwrWgoeCeXhfpGdnuIiF167575sP", "LeOeCQ+a^H9~mns-xCR.}*I[ES$x", 25391),
        [(6, 1200, 900)] = new("ZEoGNYrjgHqDaYhfw1dnfP6b/83p", "LUPES4*|}k5ZvNs.xCNe}%I]A0-O", 40422),
        [(6, 1080, 1350)] = new("ZEoGPgrFgyeYh/dFemaWiil43Yvv3fk=", "LaP4*W+a]}ESq^s.xCR.}*I]ES$x", 48095),
        [(6, 1600, 1200)] = new("ZEoGNYrjgHqDaYhfw1dnfP6b/83p", "LUPES4*|}k5ZvNs-xCNe}%I]A0-O", 57428),
        [(6, 640, 640)] = new("IzoGRwrWgoeCeXhfpGdnuIiF167575sP", "LdOeCQ+a^H9%mns-xCR.}%I[ES$x", 21007),
        [(7, 800, 800)] = new("IdcFHxCihIdweHhslmd3mIeGBzEGEnYA", "LKFP]M0}8H:78{XSOrrr8uz;*|K%", 22872),
        [(7, 1200, 900)] = new("IbcFHYygg3hxeIhrlld4eiBzIkEG", "LJEp~80fCk:69GbuOrv~8avh*}L0", 37357),
        [(7, 1080, 1350)] = new("IccFHg6ThQeHh7dmeXaHeVh4IGIwUgc=", "LHEzcn0#8H*|4VbvOrrr4Rz;:QK%", 44594),
        [(7, 1600, 1200)] = new("IrcFHYygg3hxeIhrlld4eiBzIkEG", "LJEp~80fCk:69GbuOrv~8avh*}L0", 53679),
        [(7, 640, 640)] = new("IdcFHxCihIdweHhslmd3mIeGBzEGEnYA", "LKFP?E0}8H:78{XSOrrr8uz;*}K%", 18907),
        [(8, 800, 800)] = new("EJsKNwYlfHh5loegW4iZR3eKWJIHv40M", "LYIWq#IG4v?UwLV^N0t40S%H-*IZ", 23258),
        [(8, 1200, 900)] = new("z5oKLYgWjoV4lnigPJeZcxZ48Nqo", "LQHTogQ@0S~Ow2V^N0xq0S%H?B9f", 36650),
        [(8, 1080, 1350)] = new("z5oKLgYmjIhneAi6hZhpdceHJnjw+8g=", "LVHwLiM%4]?Bw2V^N0t40S%H-*IZ", 44667),
        [(8, 1600, 1200)] = new("z5oKLYgWjoV4lnigPJeZcxZ48Nqo", "LQHTogQ@0S~Ow2V^N0xq0S%H?B9f", 53136),
        [(8, 640, 640)] = new("EJsKNwYlfHh4loegW4iZR3eKWIIHv40M", "LYIWq#IG4v?UwLV^N0t40S%H-*IZ", 19057),
        [(9, 800, 800)] = new("2QkGDwbDg4eAeHhepVd3qIeFFwiXE3YA", "LEE:600hu1MM04oybtepy-R7VHtj", 21772),
        [(9, 1200, 900)] = new("2gkGDYTAgnlxeIhtpVd3e4ByKVEG", "LFE{y{0Nu1MM4=oykUaMyUVuVatj", 36082),
        [(9, 1080, 1350)] = new("2QkGDgajhAeIh8dWeXaHikh4gnA5Ugc=", "LGE:FN58pZQ;04oybtaMynVuVbpF", 43082),
        [(9, 1600, 1200)] = new("2gkGDYTAgnlxeIhtpVd3e4ByKVEH", "LFE{y{0Nu1MM4=oykUaMyUVuVatj", 51962),
        [(9, 640, 640)] = new("2QkGDwbDg4eAeHhepVd3qIeFFwiXE3YA", "LEE:600hu1MM04oybtepy-R7VHtj", 17873),
        [(10, 800, 800)] = new("rMYFJwbvc4ebaXdfpIhmuIh1x5747IkP", "LPJl2K~U^#E8?axZxsRl^#M~E3$~", 22299),
        [(10, 1200, 900)] = new("rdYFHYTfc3qcaYdutHhmi+2az675", "LPKBwb~V?EE8?axZxZRl?XNIIX%0", 36893),
        [(10, 1080, 1350)] = new("rcYFHgTedNeZd/dFimmVijh43IrPnfg=", "LMK2C%~V^#Iv_2xZxZRl~RIqE3%0", 43515),
        [(10, 1600, 1200)] = new("rdYFHYTfc3qcaYdutHhmi+2Kz675", "LPKBwb~V?XE8?axZxZRl?XNIIX%0", 53893),
        [(10, 640, 640)] = new("rMYFJwbvc4ecaXdfpIhmuIh1x5747IkP", "LPJk~D~U^#E8?axZxsRl^#M~E3$~", 18206),
        [(11, 800, 800)] = new("ZagKHwjZg4eGeXhfpHdnuIh1167535wN", "LgPW8@:,^69[rDs:xGR*}tI:Ef$*", 23809),
        [(11, 1200, 900)] = new("ZqgKFYjocHqGaYdfw2hnjO+b/8zI", "LWQ6Oy:k}t5Qz;s.xGNa}tI:9[-V", 38195),
        [(11, 1080, 1350)] = new("ZqgKHgjZg2eYh/dFemeWijh43Yv/7Og=", "LcP{*A:,^6ELvgs:xGR*}tI:Ef$*", 45791),
        [(11, 1600, 1200)] = new("ZqgKFYjocHqGaYdfw2hnjO+b/8zI", "LWQ6R,:k}t5Qz;s:xGNa}tI:9[-V", 55140),
        [(11, 640, 640)] = new("ZagKHwjZg4eGeXhfpHdnuIh1167535wN", "LgPMnO:,^69[rDs:xGR*}tI:Ef$*", 19485),
    };
}

public sealed record DemoPlaceholder(string ThumbHash, string BlurHash, long Bytes);
