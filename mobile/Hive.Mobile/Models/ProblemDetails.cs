namespace Hive.Mobile.Models;

/// <summary>An RFC 9457 problem as the fleet writes it; <see cref="Errors"/> names each invalid field.</summary>
public sealed record ProblemDetails
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
