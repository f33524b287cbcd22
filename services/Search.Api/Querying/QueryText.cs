using System.Globalization;
using System.Text;

namespace Search.Api.Querying;

/// <summary>
/// A search text reduced to the form that decides what it matches: Unicode NFKC (full-width and
/// ligature forms fold), accents removed, lower case, whitespace collapsed, control characters dropped.
/// Equivalent inputs ("  Kikoí ", "KIKOI", "ｋｉｋｏｉ") become the same <see cref="Normalized"/>, so they
/// share one cache entry and one leaderboard member. <see cref="Terms"/> are its letter-and-digit runs,
/// the only part that ever reaches a tsquery: tsquery and SQL syntax cannot survive this step. The
/// prefix tsquery itself is built in SQL after unaccent (<c>search_prefix_query</c>, migration 0012).
/// </summary>
internal sealed record QueryText(string Normalized, IReadOnlyList<string> Terms)
{
    /// <summary>More terms than this add nothing to relevance and only cost the planner.</summary>
    public const int MaxTerms = 12;

    /// <summary>Null when <paramref name="raw"/> is not valid Unicode (a lone surrogate).</summary>
    public static QueryText? TryParse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string folded;
        try
        {
            folded = raw.Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var text = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var rune in folded.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = text.Length > 0;
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(Rune.ToLowerInvariant(rune).ToString());
        }

        var normalized = text.ToString().Normalize(NormalizationForm.FormC);
        return new QueryText(normalized, SplitTerms(normalized));
    }

    /// <summary>The trigram side of the match: the terms joined by single spaces.</summary>
    public string TermText => string.Join(' ', Terms);

    private static List<string> SplitTerms(string normalized)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                current.Append(rune.ToString());
                continue;
            }

            Flush();
        }

        Flush();
        return terms;

        void Flush()
        {
            if (current.Length == 0)
            {
                return;
            }

            var term = current.ToString();
            current.Clear();
            if (terms.Count < MaxTerms && !terms.Contains(term, StringComparer.Ordinal))
            {
                terms.Add(term);
            }
        }
    }
}
