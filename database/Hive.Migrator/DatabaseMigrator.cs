using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hive.Migrator;

public static class DatabaseMigrator
{
    /// <summary>Creates the target database when the server has none by that name (local servers start empty).</summary>
    public static async Task EnsureDatabaseAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var databaseName = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = databaseName } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        var quoted = "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted} ENCODING 'UTF8'", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        logger.LogInformation("Created database {Database}", databaseName);
    }

    /// <summary>Applies every embedded script not yet recorded in <c>schemaversions</c>, each in its own transaction.</summary>
    /// <returns>How many scripts this run applied; 0 when the database was already current.</returns>
    public static int Migrate(string connectionString, ILogger logger)
    {
        var upgrader = Upgrader(connectionString, logger);

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
        }

        var applied = result.Scripts.Count();
        logger.LogInformation("Database is current; {Count} script(s) applied this run", applied);
        return applied;
    }

    /// <summary>
    /// Returns once every embedded script is recorded: a Kubernetes init container runs this before a service
    /// starts, so the service never meets an older schema while the migrator Job is still at work. An
    /// unreachable or missing database is waited for too (the Job may not have created it yet).
    /// </summary>
    public static async Task WaitUntilCurrentAsync(string connectionString, TimeSpan pollInterval, ILogger logger, CancellationToken cancellationToken)
    {
        var upgrader = Upgrader(connectionString, NullUpgradeLog);
        while (true)
        {
            try
            {
                if (!upgrader.IsUpgradeRequired())
                {
                    logger.LogInformation("Database schema is current");
                    return;
                }

                logger.LogInformation("Waiting for the migrator: scripts are still to be applied");
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                logger.LogInformation("Waiting for the database: {Reason}", ex.Message);
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    private static readonly ILogger NullUpgradeLog = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private static DbUp.Engine.UpgradeEngine Upgrader(string connectionString, ILogger logger) => DeployChanges.To
        .PostgresqlDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.EndsWith(".sql", StringComparison.Ordinal))
        .WithTransactionPerScript()
        .LogTo(new UpgradeLogger(logger))
        .Build();

    private sealed class UpgradeLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);

        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);

        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);

        public void LogError(string format, params object[] args) => logger.LogError(format, args);

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
