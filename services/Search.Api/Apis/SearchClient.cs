using System.Security.Claims;

namespace Search.Api.Apis;

/// <summary>Who made a search, for counting it once per client on the popular boards.</summary>
internal static class SearchClient
{
    /// <summary>
    /// The signed-in user, else the client address. Behind the gateway that address is the last
    /// <c>X-Forwarded-For</c> entry, the one the gateway itself wrote (YARP replaces what the client sent);
    /// the services are reachable only through the gateway, so a client cannot pick its own.
    /// </summary>
    public static string Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.FindFirstValue("sub") is { Length: > 0 } subject)
        {
            return "user:" + subject;
        }

        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (last.Length is > 0 and <= 64)
            {
                return "ip:" + last;
            }
        }

        return "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
