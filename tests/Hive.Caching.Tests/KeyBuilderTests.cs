namespace Hive.Caching.Tests;

public sealed class KeyBuilderTests
{
    private readonly CacheKeyBuilder _keys = new("catalog");

    [Fact]
    public void KeysHaveTheServiceEntityIdShape()
    {
        Assert.Equal("catalog:product:42", _keys.For("product", 42).Value);
        Assert.Equal("catalog:product:abc-DEF_1.2", _keys.For("product", "abc-DEF_1.2").Value);
    }

    [Theory]
    [InlineData("1:other")]
    [InlineData("*")]
    [InlineData("a\nb")]
    [InlineData("a\r\nFLUSHALL")]
    [InlineData("../x")]
    [InlineData("%3A")]
    [InlineData("a b")]
    public void UserInputCannotAddASegment(string id)
    {
        var value = _keys.For("product", id).Value;
        Assert.StartsWith("catalog:product:", value, StringComparison.Ordinal);
        var idPart = value["catalog:product:".Length..];
        Assert.DoesNotContain(':', idPart);
        Assert.DoesNotContain('*', idPart);
        Assert.DoesNotContain('\n', idPart);
        Assert.DoesNotContain('\r', idPart);
        Assert.DoesNotContain(' ', idPart);
    }

    [Fact]
    public void ColonsAreEncodedSoAnIdCannotReachAnotherEntity()
    {
        Assert.Equal("catalog:product:1%3Auser%3A2", _keys.For("product", "1:user:2").Value);
        Assert.NotEqual(_keys.For("product", "1:2").Value, _keys.For("product", "1").Value + ":2");
    }

    [Fact]
    public void EncodingIsInjectiveForLookalikeIds()
    {
        var ids = new[] { ":", "%3A", "%253A", "~h00", "a", "A", "é", "e\u0301", "*", "%2A" };
        var values = ids.Select(id => _keys.For("product", id).Value).ToList();
        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void UnicodeIsPercentEncodedAsUtf8()
    {
        Assert.Equal("catalog:product:caf%C3%A9", _keys.For("product", "café").Value);
        Assert.Equal("catalog:product:%F0%9F%90%9D", _keys.For("product", "🐝").Value);
    }

    [Fact]
    public void VeryLongIdsAreHashedToABoundedLength()
    {
        var longId = new string('x', 10_000);
        var value = _keys.For("product", longId).Value;
        Assert.True(value.Length < 100, $"length {value.Length}");
        Assert.StartsWith("catalog:product:~h", value, StringComparison.Ordinal);
        Assert.Equal(value, _keys.For("product", longId).Value);
        Assert.NotEqual(value, _keys.For("product", longId + "y").Value);

        var longUnicode = string.Concat(Enumerable.Repeat("ж:", 100));
        Assert.StartsWith("catalog:product:~h", _keys.For("product", longUnicode).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void TagsAreExactAndEncodedLikeKeys()
    {
        Assert.Equal("product:1", _keys.Tag("product", 1).Value);
        Assert.NotEqual(_keys.Tag("product", 1), _keys.Tag("product", 10));
        Assert.Equal("product:1%3A0", _keys.Tag("product", "1:0").Value);
        Assert.Equal("product", _keys.Tag("product").Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Product")]
    [InlineData("pro:duct")]
    [InlineData("__fc")]
    [InlineData("1product")]
    [InlineData("pro*")]
    public void BadEntityNamesAreRejected(string entity)
    {
        Assert.ThrowsAny<ArgumentException>(() => _keys.For(entity, "1"));
    }

    [Fact]
    public void NullOrEmptyIdsAreRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => _keys.For("product", (string)null!));
        Assert.ThrowsAny<ArgumentException>(() => _keys.For("product", string.Empty));
        Assert.ThrowsAny<ArgumentException>(() => new CacheKeyBuilder("bad:ns"));
    }
}
