namespace Media.Api.Delivery;

/// <summary>The renditions every product image is offered in: square, fit cover (the notes' sizes).</summary>
public sealed record NamedVariant(string Name, int Size)
{
    public static readonly IReadOnlyList<NamedVariant> All =
    [
        new("thumbnail", 150),
        new("small", 320),
        new("medium", 640),
        new("large", 1024),
        new("full", 1920),
    ];

    public static NamedVariant? Find(string name) => All.FirstOrDefault(v => v.Name == name);
}
