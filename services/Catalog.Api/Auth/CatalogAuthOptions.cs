using System.ComponentModel.DataAnnotations;
using Hive.ServiceDefaults;

namespace Catalog.Api.Auth;

/// <summary>
/// Catalog secrets (section <c>Catalog:Auth</c>). Bearer tokens are validated fleet-wide by
/// <c>AddHiveAuthentication</c> (section <c>Hive:Auth</c>); what stays here is the key behind list cursors.
/// </summary>
public sealed class CatalogAuthOptions
{
    public const string SectionName = "Catalog:Auth";

    /// <summary>The claim that names the business a token acts for.</summary>
    public const string BusinessClaim = HiveClaims.BusinessId;

    /// <summary>
    /// Secret shared by every catalog replica, from which the cursor key derives; at least 32 characters. An
    /// AppHost parameter (<c>catalog-signing-key</c>), never in appsettings.
    /// </summary>
    [Required(ErrorMessage = "Catalog:Auth:SigningKey (environment Catalog__Auth__SigningKey) is required: a secret of at least 32 characters shared by every catalog replica.")]
    [MinLength(32, ErrorMessage = "Catalog:Auth:SigningKey must be at least 32 characters.")]
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>Key that signs list cursors so clients cannot forge a position. Defaults to a key derived from <see cref="SigningKey"/>.</summary>
    public string? CursorKey { get; set; }
}
