using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Hive.Gateway.Forwarding;

/// <summary>Turns <see cref="TrustedProxyOptions"/> into the framework's forwarded-headers settings.</summary>
internal sealed class ForwardedHeadersSetup(IOptions<TrustedProxyOptions> trusted) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        // With both lists empty the framework would believe every peer, so no trusted proxy means no
        // forwarded header is read at all.
        var any = trusted.Value.KnownProxies.Count > 0 || trusted.Value.KnownNetworks.Count > 0;
        options.ForwardedHeaders = any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;

        // The framework trusts loopback by default; on a gateway every client may arrive through a local
        // proxy, so only what is configured is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in trusted.Value.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in trusted.Value.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        // Walk back through every trusted hop; the first untrusted one is the client.
        options.ForwardLimit = null;
    }
}
