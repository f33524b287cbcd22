using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Hive.Gateway.Forwarding;

/// <summary>
/// The proxies (load balancers, CDNs) whose <c>X-Forwarded-For</c> the gateway believes (section
/// <c>Gateway:TrustedProxies</c>). Empty by default: then no peer is trusted, not even loopback, and the
/// header is ignored, so a client cannot pick the address its rate limit is counted under.
/// </summary>
public sealed class TrustedProxyOptions : IValidatableObject
{
    public const string SectionName = "Gateway:TrustedProxies";

    /// <summary>Single proxy addresses, for example <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, for example <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"'{proxy}' in {SectionName}:KnownProxies is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"'{network}' in {SectionName}:KnownNetworks is not a CIDR network.", [nameof(KnownNetworks)]);
        }
    }
}
