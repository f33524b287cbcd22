using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Identity.Api.Data;

/// <summary>
/// Users, roles and OpenIddict's applications, authorizations, scopes and tokens, all in the <c>identity</c>
/// schema of database <c>hive</c>. The migrator owns the tables (database/migrations/0020_identity.sql is
/// generated from this model; a test keeps the two equal), so the service never creates or alters schema.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityDbContext<HiveUser>(options)
{
    public const string Schema = "identity";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.UseOpenIddict();
        builder.Entity<HiveUser>().Property(u => u.BusinessId).HasColumnName("BusinessId");
        builder.Entity<HiveUser>().HasIndex(u => u.BusinessId);
    }
}
