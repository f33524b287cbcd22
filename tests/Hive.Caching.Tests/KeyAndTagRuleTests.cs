namespace Hive.Caching.Tests;

/// <summary>
/// Rules of keys and tags found untested by mutation testing: tags refuse what keys refuse, an id is kept
/// readable up to the length limit and hashed past it, and empty keys and tags name nothing.
/// </summary>
public sealed class KeyAndTagRuleTests
{
    private readonly CacheKeyBuilder _keys = new("catalog");

    [Theory]
    [InlineData("Product")]
    [InlineData("product:1")]
    [InlineData("")]
    public void ATagForAnInvalidEntityIsRefused(string entity)
    {
        Assert.ThrowsAny<ArgumentException>(() => _keys.Tag(entity));
        Assert.ThrowsAny<ArgumentException>(() => _keys.Tag(entity, "1"));
    }

    [Fact]
    public void ATagForAnEmptyIdIsRefused()
        => Assert.ThrowsAny<ArgumentException>(() => _keys.Tag("product", ""));

    [Fact]
    public void AnInvalidEntityNameIsNamedInTheError()
    {
        var error = Assert.Throws<ArgumentException>(() => _keys.For("Bad Entity", 1));
        Assert.Contains("'Bad Entity' is not a valid name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TagsReadAsNamespaceEntityAndEncodedId()
    {
        Assert.Equal("catalog:product:1", _keys.Tag("product", 1).ToString());
        Assert.Equal("catalog:product:a%3Ab", _keys.Tag("product", "a:b").ToString());
        Assert.Equal("catalog:products-list", _keys.Tag("products-list").ToString());
    }

    [Fact]
    public void AnEmptyKeyOrTagNamesNothing()
    {
        Assert.Equal(string.Empty, default(CacheKey).Value);
        Assert.Equal(string.Empty, default(CacheTag).ToString());
    }

    [Fact]
    public void APlainIdUpToTheLimitIsKeptAndALongerOneIsHashed()
    {
        var atLimit = new string('a', CacheKeyBuilder.MaxEncodedIdLength);
        var overLimit = atLimit + "a";

        Assert.Equal($"catalog:product:{atLimit}", _keys.For("product", atLimit).Value);
        var hashed = _keys.For("product", overLimit).Value;
        Assert.StartsWith("catalog:product:~h", hashed, StringComparison.Ordinal);
        Assert.Equal("catalog:product:~h".Length + 64, hashed.Length);
    }

    [Fact]
    public void AnIdWhoseEncodingJustFitsIsEncodedNotHashed()
    {
        // One ':' (three characters encoded) and plain characters up to exactly the limit.
        var id = ":" + new string('a', CacheKeyBuilder.MaxEncodedIdLength - 3);

        Assert.Equal($"catalog:product:%3A{new string('a', CacheKeyBuilder.MaxEncodedIdLength - 3)}", _keys.For("product", id).Value);
        Assert.StartsWith("catalog:product:~h", _keys.For("product", id + "a").Value, StringComparison.Ordinal);
    }
}
