using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Identity.Api.Tests;

/// <summary>
/// Identity's replicas share one Data Protection key ring in the database, so a sign-in cookie or an
/// antiforgery token one replica made opens on another (a ring per machine made identity unsafe to replicate).
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class KeyRingTests(IdentityFixture identity)
{
    [Fact]
    public async Task WhatOneReplicaProtectsAnotherReplicaOpensThroughTheKeysInTheDatabase()
    {
        const string purpose = "Microsoft.AspNetCore.Authentication.Cookies";
        var sealedByFirst = identity.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("sign-in of buyer-1");

        await using (var connection = new NpgsqlConnection(identity.ConnectionString))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM identity.\"DataProtectionKeys\"", connection);
            Assert.True((long)(await count.ExecuteScalarAsync())! >= 1, "the key ring is not in the shared database");
        }

        await using var second = identity.CreateReplica();
        var opened = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(sealedByFirst);

        Assert.Equal("sign-in of buyer-1", opened);
    }
}
