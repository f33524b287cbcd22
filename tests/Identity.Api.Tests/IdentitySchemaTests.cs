using Identity.Api.Data;
using Hive.Testing;
using Microsoft.EntityFrameworkCore;

namespace Identity.Api.Tests;

/// <summary>
/// The migrator owns the schema: database/migrations/0020_identity.sql is the EF model's create script.
/// When the model changes, regenerate it with HIVE_UPDATE_IDENTITY_SCHEMA=1 and this test.
/// </summary>
public sealed class IdentitySchemaTests
{
    private static readonly string MigrationPath = Path.Combine(RepositoryRoot.Path, "database", "migrations", "0020_identity.sql");

    [Fact]
    public void TheIdentityMigrationCreatesExactlyWhatTheModelDescribes()
    {
        var options = new DbContextOptionsBuilder<IdentityDb>().UseNpgsql("Host=unused").UseOpenIddict().Options;
        using var db = new IdentityDb(options);
        var expected = Header + ForDbUp(db.Database.GenerateCreateScript().ReplaceLineEndings("\n")).Trim() + "\n";

        if (Environment.GetEnvironmentVariable("HIVE_UPDATE_IDENTITY_SCHEMA") == "1")
        {
            File.WriteAllText(MigrationPath, expected);
        }

        Assert.True(File.Exists(MigrationPath), $"{MigrationPath} is missing; run this test with HIVE_UPDATE_IDENTITY_SCHEMA=1.");
        Assert.Equal(expected, File.ReadAllText(MigrationPath).ReplaceLineEndings("\n"));
    }

    private static readonly string KeyRingMigrationPath = Path.Combine(RepositoryRoot.Path, "database", "migrations", "0051_identity_key_ring.sql");

    [Fact]
    public void TheKeyRingMigrationCreatesExactlyWhatTheKeyRingModelDescribesAndLetsIdentityUseIt()
    {
        var options = new DbContextOptionsBuilder<KeyRingDb>().UseNpgsql("Host=unused").Options;
        using var db = new KeyRingDb(options);
        var expected = KeyRingHeader + ForDbUp(db.Database.GenerateCreateScript().ReplaceLineEndings("\n")).Trim() + "\n" + KeyRingGrants;

        if (Environment.GetEnvironmentVariable("HIVE_UPDATE_IDENTITY_SCHEMA") == "1")
        {
            File.WriteAllText(KeyRingMigrationPath, expected);
        }

        Assert.True(File.Exists(KeyRingMigrationPath), $"{KeyRingMigrationPath} is missing; run this test with HIVE_UPDATE_IDENTITY_SCHEMA=1.");
        Assert.Equal(expected, File.ReadAllText(KeyRingMigrationPath).ReplaceLineEndings("\n"));
    }

    /// <summary>DbUp reads <c>$name$</c> as a variable, so EF's <c>DO $EF$</c> guard becomes the plain equivalent.</summary>
    private static string ForDbUp(string script)
    {
        var start = script.IndexOf("DO $EF$", StringComparison.Ordinal);
        var end = script.IndexOf("END $EF$;", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "EF's create script no longer starts with its schema guard.");
        return script[..start] + $"CREATE SCHEMA IF NOT EXISTS {IdentityDb.Schema};" + script[(end + "END $EF$;".Length)..];
    }

    private const string KeyRingHeader =
        """
        -- Identity's Data Protection key ring, shared by every replica (sign-in cookies and antiforgery tokens
        -- made by one replica open on another). Generated from services/Identity.Api/Data/KeyRingDb.cs by
        -- tests/Identity.Api.Tests/IdentitySchemaTests.cs (HIVE_UPDATE_IDENTITY_SCHEMA=1); do not edit by hand.

        """;

    // 0040_service_roles.sql granted the identity schema's tables that existed then; this one is new.
    private const string KeyRingGrants =
        """

        GRANT SELECT, INSERT, UPDATE, DELETE ON identity."DataProtectionKeys" TO hive_identity;

        """;

    private const string Header =
        """
        -- Identity service: users, roles (ASP.NET Core Identity) and OpenIddict's applications, authorizations,
        -- scopes and tokens, in schema "identity". Generated from services/Identity.Api/Data/IdentityDb.cs by
        -- tests/Identity.Api.Tests/IdentitySchemaTests.cs (HIVE_UPDATE_IDENTITY_SCHEMA=1); do not edit by hand.

        """;
}
