using System.Globalization;
using System.Text;

namespace Catalog.Api.Model;

/// <summary>
/// Text a client asks us to store (product names and descriptions, order names). Control characters
/// (Postgres cannot store NUL at all) and bidirectional overrides (they make a listing display as
/// something else than it is) are removed; text that is not valid UTF-16 (a lone surrogate) is refused.
/// Joiners stay: emoji sequences and several scripts need them.
/// </summary>
public static class StoredText
{
    /// <summary>The cleaned text in Unicode NFC, or null when <paramref name="text"/> is not valid Unicode.</summary>
    public static string? Clean(string text, bool multiline)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return null;
            }

            index += consumed;
            if (Keeps(rune, multiline))
            {
                cleaned.Append(rune.ToString());
            }
        }

        return cleaned.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool Keeps(Rune rune, bool multiline)
    {
        if (rune.Value is '\n' or '\t')
        {
            return multiline;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            UnicodeCategory.Format => !IsBidiControl(rune.Value) && rune.Value is not (0xFEFF or 0x200B),
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    // ALM, LRM, RLM, the embeddings and overrides (LRE..RLO), and the isolates (LRI..PDI).
    private static bool IsBidiControl(int value)
        => value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
