using System.Net;
using System.Security.Claims;
using Hive.Gateway.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Hive.Gateway.Tests;

public sealed class RateLimitClientTests
{
    [Fact]
    public void AnAuthenticatedCallerIsCountedByTokenSubjectWhateverItsAddress()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "buyer-42")], authenticationType: "Bearer"));

        Assert.Equal("sub:buyer-42", RateLimitClient.PartitionOf(context));
    }

    [Fact]
    public void AnUnauthenticatedPrincipalWithASubjectClaimIsStillCountedByAddress()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "forged")]));

        Assert.Equal("ip:203.0.113.9", RateLimitClient.PartitionOf(context));
    }

    [Theory]
    [InlineData("::ffff:198.51.100.4", "198.51.100.4")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AddressesAreNormalisedAndIPv6IsCountedPerSlash64(string address, string expected)
    {
        Assert.Equal(expected, RateLimitClient.AddressKey(IPAddress.Parse(address)));
    }
}
