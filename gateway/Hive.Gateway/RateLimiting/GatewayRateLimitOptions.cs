using System.ComponentModel.DataAnnotations;

namespace Hive.Gateway.RateLimiting;

/// <summary>
/// Edge rate limits (section <c>Gateway:RateLimits</c>): named policies, and rules that pick a policy for a
/// request by path prefix and method. The first matching rule wins; requests no rule matches use
/// <see cref="DefaultPolicy"/>. Budgets live in Redis, so every gateway replica draws on the same one.
/// </summary>
public sealed class GatewayRateLimitOptions : IValidatableObject
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>Off only for experiments that measure the gateway without it. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The policy for requests no rule matches. Default <c>default</c>.</summary>
    [Required]
    public string DefaultPolicy { get; set; } = "default";

    /// <summary>Policies by name (the name appears in the <c>RateLimit</c> headers and 429 answers).</summary>
    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Checked in order; the first whose prefix and method match picks the policy.</summary>
    public List<RateLimitRule> Rules { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, policy) in Policies)
        {
            if (!RateLimitPolicyOptions.IsValidName(name))
            {
                yield return new ValidationResult($"Rate-limit policy name '{name}' must match [a-z][a-z0-9-]{{0,31}}.", [nameof(Policies)]);
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(policy, new ValidationContext(policy), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return new ValidationResult($"Policy '{name}': {result.ErrorMessage}", [nameof(Policies)]);
                }
            }
        }

        if (!Policies.ContainsKey(DefaultPolicy))
        {
            yield return new ValidationResult($"The default rate-limit policy '{DefaultPolicy}' is not defined under Policies.", [nameof(DefaultPolicy)]);
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            if (!Policies.ContainsKey(Rules[i].Policy))
            {
                yield return new ValidationResult($"Rule {i} names the undefined rate-limit policy '{Rules[i].Policy}'.", [nameof(Rules)]);
            }
        }
    }
}
