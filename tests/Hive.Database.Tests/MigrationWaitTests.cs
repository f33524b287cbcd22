using Hive.Migrator;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hive.Database.Tests;

/// <summary>The wait mode the services' init containers run in Kubernetes (deploy/k8s): they start only on a current schema.</summary>
[Collection(MarketplaceDatabaseCollection.Name)]
public sealed class MigrationWaitTests(MarketplaceDatabase database)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task WaitingReturnsAtOnceOnAMigratedDatabase()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await DatabaseMigrator.WaitUntilCurrentAsync(database.ConnectionString, Poll, NullLogger.Instance, deadline.Token);

        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitingHoldsUntilTheMigratorHasAppliedEveryScript()
    {
        var connectionString = await database.CreateDatabaseAsync("waiting");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var waiting = DatabaseMigrator.WaitUntilCurrentAsync(connectionString, Poll, NullLogger.Instance, deadline.Token);
        // Several polls find the schema behind; the wait must still be on.
        var early = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(waiting, early);

        DatabaseMigrator.Migrate(connectionString, NullLogger.Instance);

        await waiting;
        Assert.False(deadline.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitingForADatabaseThatDoesNotExistEndsAtTheDeadline()
    {
        var existing = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var missing = new NpgsqlConnectionStringBuilder(existing.ConnectionString) { Database = "never_created_" + Guid.NewGuid().ToString("N")[..8] };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DatabaseMigrator.WaitUntilCurrentAsync(missing.ConnectionString, Poll, NullLogger.Instance, deadline.Token));
    }
}
