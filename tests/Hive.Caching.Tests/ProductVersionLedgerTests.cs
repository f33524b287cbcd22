using Hive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Hive.Caching.Tests;

/// <summary>
/// The ledger comes with the cache (a service that only reads, with no bus, still has it) and keeps the
/// newest version per product whatever order versions arrive in.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ProductVersionLedgerTests(RedisFixture redis)
{
    [Fact]
    public async Task OnlyANewerVersionAdvancesTheLedgerAndARewoundVersionCanBeHandledAgain()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.AddHiveCaching(CacheInstance.NewNamespace());
        using var host = builder.Build();
        var ledger = host.Services.GetRequiredService<ProductVersionLedger>();

        Assert.Equal(0, await ledger.FloorAsync(42));
        Assert.True(await ledger.AdvanceAsync(42, 3, CancellationToken.None));
        Assert.False(await ledger.AdvanceAsync(42, 2, CancellationToken.None));
        Assert.False(await ledger.AdvanceAsync(42, 3, CancellationToken.None));
        Assert.Equal(3, await ledger.FloorAsync(42));
        Assert.Equal(0, await ledger.FloorAsync(43));

        // A failed handling of version 3 is taken back: its retry is not skipped as already seen.
        await ledger.RewindAsync(42, 3, CancellationToken.None);
        Assert.True(await ledger.AdvanceAsync(42, 3, CancellationToken.None));

        // Rewinding a version that is no longer the newest changes nothing.
        Assert.True(await ledger.AdvanceAsync(42, 5, CancellationToken.None));
        await ledger.RewindAsync(42, 3, CancellationToken.None);
        Assert.Equal(5, await ledger.FloorAsync(42));
    }
}
