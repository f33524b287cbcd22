using Hive.ServiceDefaults;
using Microsoft.Net.Http.Headers;

namespace Hive.ServiceDefaults.Tests;

public sealed class CachePoliciesTests
{
    [Theory]
    [InlineData(CachePolicies.Product, 60)]
    [InlineData(CachePolicies.List, 30)]
    [InlineData(CachePolicies.Reference, 300)]
    [InlineData(CachePolicies.Immutable, 31536000)]
    public void EveryPublicPolicyParsesAsPublicWithItsMaxAge(string policy, int seconds)
    {
        var parsed = CacheControlHeaderValue.Parse(policy);

        Assert.True(parsed.Public);
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed.MaxAge);
    }

    [Fact]
    public void AConfiguredLifetimeBecomesAPublicMaxAgeAndANegativeOneIsRefused()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), CacheControlHeaderValue.Parse(CachePolicies.Public(45)).MaxAge);
        Assert.Throws<ArgumentOutOfRangeException>(() => CachePolicies.Public(-1));
    }

    [Theory]
    [InlineData(CachePolicies.NoStore)]
    [InlineData(CachePolicies.PrivateNoStore)]
    public void PerUserPoliciesAreNeverStored(string policy)
    {
        var parsed = CacheControlHeaderValue.Parse(policy);

        Assert.True(parsed.NoStore);
        Assert.False(parsed.Public);
    }
}
