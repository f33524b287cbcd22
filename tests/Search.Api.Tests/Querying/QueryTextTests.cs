using Search.Api.Model;
using Search.Api.Querying;

namespace Search.Api.Tests.Querying;

public sealed class QueryTextTests
{
    private static readonly byte[] Key = "test-cursor-key-test-cursor-key-0123"u8.ToArray();

    [Theory]
    [InlineData("  Kikoí  ", "kikoi")]
    [InlineData("KIKOI", "kikoi")]
    [InlineData("ｋｉｋｏｉ", "kikoi")]
    [InlineData("Samsung\t\n  Galaxy", "samsung galaxy")]
    [InlineData("Sukuma\u00A0Wiki", "sukuma wiki")]
    [InlineData("caf\u0065\u0301", "cafe")]
    public void EquivalentTextsNormaliseToTheSameQuery(string raw, string expected)
    {
        var text = QueryText.TryParse(raw)!;

        Assert.Equal(expected, text.Normalized);
        Assert.Equal(expected, text.TermText);
    }

    [Theory]
    [InlineData("samsung' & | ! ( ) : * \\", "samsung")]
    [InlineData("a:* & b | !c", "a b c")]
    [InlineData("'; DROP TABLE products; --", "drop table products")]
    [InlineData("📱 Tecno", "tecno")]
    [InlineData("Самсунг 三星 samsung", "самсунг 三星 samsung")]
    public void OnlyLettersAndDigitsReachTheTsQuery(string raw, string expectedTerms)
    {
        var text = QueryText.TryParse(raw)!;

        Assert.Equal(expectedTerms, text.TermText);
        Assert.All(text.Terms, t => Assert.True(t.All(char.IsLetterOrDigit) || t.Any(char.IsSurrogate), t));
    }

    [Fact]
    public void ALoneSurrogateIsNotAQuery()
    {
        Assert.Null(QueryText.TryParse("abc\uD800"));
    }

    [Fact]
    public void EquivalentSearchesShareOneCacheId()
    {
        var first = Parse(new SearchRequest("  SAMSUNG   Galaxy ", null, "100", null, "Relevance", null, null));
        var second = Parse(new SearchRequest("samsung galaxy", null, "100.00", null, null, null, null));
        var other = Parse(new SearchRequest("samsung galaxy", null, "100.00", null, "price", null, null));

        Assert.Equal(first.CacheId, second.CacheId);
        Assert.NotEqual(first.CacheId, other.CacheId);
    }

    [Fact]
    public void ACursorOnlyDecodesForTheSearchAndSortItWasIssuedFor()
    {
        var query = Parse(new SearchRequest("kikoi", null, null, null, null, null, null));
        var encoded = new SearchCursor(query.Fingerprint, SearchSort.Relevance, 3.5m, null, 42).Encode(Key);

        Assert.Equal(42, SearchCursor.TryDecode(encoded, query.Fingerprint, SearchSort.Relevance, Key)!.Id);
        Assert.Null(SearchCursor.TryDecode(encoded, query.Fingerprint, SearchSort.Price, Key));
        Assert.Null(SearchCursor.TryDecode(encoded, "0000000000000000", SearchSort.Relevance, Key));
        Assert.Null(SearchCursor.TryDecode(encoded, query.Fingerprint, SearchSort.Relevance, "another-key-another-key-another-key"u8.ToArray()));

        var tampered = encoded.ToCharArray();
        tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
        Assert.Null(SearchCursor.TryDecode(new string(tampered), query.Fingerprint, SearchSort.Relevance, Key));
    }

    private static SearchQuery Parse(SearchRequest request)
    {
        var (query, errors) = SearchRequestParser.Parse(request, 20, Key);
        Assert.Empty(errors);
        return query!;
    }
}
