using Microsoft.AspNetCore.Http;

namespace Hive.Messaging.Analytics;

/// <summary>
/// Who an analytics event is from, so one client's flood can be bounded: the signed-in subject, else the
/// address the gateway saw (its X-Forwarded-For, the first hop), else the connection's address.
/// </summary>
public static class AnalyticsClient
{
    private const int MaxLength = 128;

    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.User.FindFirst("sub")?.Value;
        if (!string.IsNullOrEmpty(subject))
        {
            return Bound("u:" + subject);
        }

        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrEmpty(forwarded))
        {
            var first = forwarded.Split(',', 2)[0].Trim();
            if (first.Length > 0)
            {
                return Bound("ip:" + first);
            }
        }

        return context.Connection.RemoteIpAddress is { } address ? "ip:" + address : null;
    }

    private static string Bound(string id) => id.Length <= MaxLength ? id : id[..MaxLength];
}
