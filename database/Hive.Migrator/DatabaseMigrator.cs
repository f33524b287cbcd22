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

    /// <summary>The services that log in with a role of their own (created by <c>0040_service_roles.sql</c> as <c>hive_&lt;service&gt;</c>).</summary>
    public static readonly IReadOnlySet<string> ServiceRoles = new HashSet<string>(["catalog", "search", "media", "metrics", "identity"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Lets each named service's role log in with the given password (set again on every run, so a rotated
    /// secret takes effect at the next deployment). Services not named keep their role without LOGIN.
    /// </summary>
    public static async Task SetServiceLoginsAsync(string connectionString, IReadOnlyDictionary<string, string> passwords, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var (service, password) in passwords.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!ServiceRoles.Contains(service))
            {
                throw new InvalidOperationException(
                    $"Hive:DatabaseRoles:{service} names no service role; known: {string.Join(", ", ServiceRoles.Order(StringComparer.Ordinal))}.");
            }

            if (password.Length < 16)
            {
                throw new InvalidOperationException($"Hive:DatabaseRoles:{service} must be a password of at least 16 characters.");
            }

            // ALTER ROLE takes no bind parameters: the server quotes the name and the password itself.
            await using var build = new NpgsqlCommand("SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', $1, $2)", connection)
            {
                Parameters = { new() { Value = "hive_" + service.ToLowerInvariant() }, new() { Value = password } },
            };
            var statement = (string)(await build.ExecuteScalarAsync(cancellationToken))!;
            await using var alter = new NpgsqlCommand(statement, connection);
            await alter.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Role hive_{Service} may log in", service.ToLowerInvariant());
        }
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
