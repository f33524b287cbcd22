using System.ComponentModel.DataAnnotations;
using System.Text;

namespace Search.Api;

/// <summary>Settings of the search service, bound from <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>
    /// Signs pagination cursors. Every replica must share it (cached pages carry cursors one replica
    /// signed and another decodes). A secret: an AppHost parameter (<c>search-cursor-key</c>), never in appsettings.
    /// </summary>
    [Required(ErrorMessage = "Search:CursorSigningKey (environment Search__CursorSigningKey) is required: a secret of at least 32 characters shared by every search replica.")]
    [MinLength(32, ErrorMessage = "Search:CursorSigningKey must be at least 32 characters.")]
    public string CursorSigningKey { get; set; } = string.Empty;

    /// <summary>Hits per page when the client names none. Default 20.</summary>
    [Range(1, 100)]
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>Facets and the total are counted over at most this many matches; beyond it the total is an estimate. Default 5,000.</summary>
    [Range(100, 1_000_000)]
    public int CountLimit { get; set; } = 5_000;

    /// <summary>Seconds a client or CDN may reuse a search or autocomplete answer (Cache-Control max-age). Default 30.</summary>
    [Range(0, 3600)]
    public int ClientMaxAgeSeconds { get; set; } = 30;

    /// <summary>
    /// Least pg_trgm word similarity between the search text and a product name for a typo match.
    /// Default 0.45: one dropped or swapped letter in a six-letter word still matches.
    /// </summary>
    [Range(0.1, 1.0)]
    public double TypoThreshold { get; set; } = 0.45;

    /// <summary>
    /// Typo (trigram) matches are added only when full text alone matches fewer products than this, since
    /// the trigram side and its ranking cost far more than the GIN full-text match. Default 20 (one page).
    /// </summary>
    [Range(1, 10_000)]
    public int TypoFallbackBelow { get; set; } = 20;

    /// <summary>
    /// A relevance-sorted search ranks at most this many full-text matches (after the filters); pages
    /// end there. Ranking costs per row, so this bounds a common word's cold search. Default 500.
    /// </summary>
    [Range(20, 100_000)]
    public int RankedCandidateLimit { get; set; } = 500;

    /// <summary>A client's repeated search counts once on the popular boards per this window. Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PopularCountWindow { get; set; } = TimeSpan.FromHours(1);

    internal byte[] CursorKey => Encoding.UTF8.GetBytes(CursorSigningKey);
}
