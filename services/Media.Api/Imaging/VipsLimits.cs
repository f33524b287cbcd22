using NetVips;

namespace Media.Api.Imaging;

/// <summary>
/// libvips for untrusted input (its developer checklist): only the four loaders media accepts, the
/// operation cache bounded (renders of different originals rarely share work), one thread per render
/// (concurrency comes from <c>RenderSlots</c>, one per core).
/// </summary>
public static class VipsLimits
{
    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in new[] { "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif" })
        {
            Operation.Block(loader, false);
        }

        Cache.Max = 50;
        Cache.MaxMem = 32 * 1024 * 1024;
        Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = 1;
    }
}
