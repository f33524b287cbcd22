namespace Hive.Caching;

/// <summary>Marks, per SetMany entry flow, whether FusionCache's write went into the batch.</summary>
internal sealed class L2WriteSlot(L2WriteBatch batch)
{
    private static readonly AsyncLocal<L2WriteSlot?> CurrentSlot = new();

    public static L2WriteSlot? Current => CurrentSlot.Value;

    public L2WriteBatch Batch { get; } = batch;

    public bool Wrote { get; set; }

    public static void Enter(L2WriteSlot slot) => CurrentSlot.Value = slot;
}
