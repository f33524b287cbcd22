using Microsoft.AspNetCore.Identity;

namespace Identity.Api.Data;

/// <summary>A buyer, a seller (bound to one business) or an admin; roles live in ASP.NET Core Identity's role tables.</summary>
public sealed class HiveUser : IdentityUser
{
    /// <summary>The business a seller acts for; null for buyers and admins.</summary>
    public long? BusinessId { get; set; }
}
