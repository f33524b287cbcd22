using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Identity.Api.Data;

/// <summary>
/// The Data Protection key ring (it protects the sign-in cookie and the login form's antiforgery token) in
/// <c>identity."DataProtectionKeys"</c>, shared by every identity replica: a ring kept per machine made a
/// cookie from one replica unreadable on another. A context of its own so the table has its own migration
/// (database/migrations/0051_identity_key_ring.sql, checked against this model by IdentitySchemaTests).
/// </summary>
public sealed class KeyRingDb(DbContextOptions<KeyRingDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(IdentityDb.Schema);
        modelBuilder.Entity<DataProtectionKey>().ToTable("DataProtectionKeys");
    }
}
