using System.ComponentModel.DataAnnotations;

namespace Catalog.Api.Auth;

/// <summary>Bearer tokens for sellers (section <c>Catalog:Auth</c>).</summary>
public sealed class CatalogAuthOptions
{
    public const string SectionName = "Catalog:Auth";

    /// <summary>The claim that names the business a token acts for.</summary>
    public const string BusinessClaim = "business_id";

    /// <summary>The user id.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>One claim per role: buyer, seller, admin.</summary>
    public const string RoleClaim = "role";

    public const string Issuer = "hive";

    public const string Audience = "hive-catalog";

    /// <summary>HMAC-SHA256 key shared by the token issuer and every catalog replica; at least 32 characters.</summary>
    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>Serve POST /api/catalog/dev/tokens so tests and the demo can act as any business. Default off.</summary>
    public bool DevTokensEnabled { get; set; }

    /// <summary>Lifetime of an issued development token. Default 12 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Key that signs list cursors so clients cannot forge a position. Defaults to a key derived from <see cref="SigningKey"/>.</summary>
    public string? CursorKey { get; set; }
}
