using System.Net;
using System.Net.Sockets;
using System.Security.Claims;

namespace Hive.Gateway.RateLimiting;

/// <summary>
/// Who a budget belongs to: the token subject of an authenticated caller, otherwise the client address.
/// The subject is read only from <see cref="HttpContext.User"/>, i.e. after the authentication middleware
/// validated the token; a bearer header alone proves nothing and is never parsed here. The address is
/// <see cref="ConnectionInfo.RemoteIpAddress"/>, which the forwarded-headers middleware has replaced with
/// the <c>X-Forwarded-For</c> client only when the direct peer is a trusted proxy.
/// </summary>
internal static class RateLimitClient
{
    public static string PartitionOf(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var subject = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            if (!string.IsNullOrEmpty(subject))
            {
                return "sub:" + subject;
            }
        }

        return "ip:" + AddressKey(context.Connection.RemoteIpAddress);
    }

    /// <summary>
    /// IPv4 as is; IPv6 by its /64, since one subscriber is usually handed a whole /64 and could otherwise
    /// rotate through addresses to get a fresh budget per request.
    /// </summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
