using System.Security.Cryptography;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Hive.Testing;

/// <summary>Factories for the real servers tests run against.</summary>
public static class Servers
{
    /// <param name="role"><c>cache</c> (evicts least recently used keys) or <c>coordination</c> (never evicts), as in infra/redis.sh.</param>
    public static LocalServer Redis(string role = "cache") => LocalServer.Create(
        "redis",
        "redis.sh",
        (port, dir) => [port.ToString(System.Globalization.CultureInfo.InvariantCulture), dir, role],
        new Dictionary<string, string>(),
        server => async _ =>
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisConfiguration(server));
            await connection.GetDatabase().PingAsync();
        },
        sharedKind: "redis-" + role,
        reset: async (server, _) =>
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisConfiguration(server) + ",allowAdmin=true");
            var admin = connection.GetServer(connection.GetEndPoints()[0]);
            await admin.FlushAllDatabasesAsync();
            await admin.ConfigResetStatisticsAsync();
        });

    public static string RedisConfiguration(LocalServer server) => $"127.0.0.1:{server.Port},abortConnect=false,connectTimeout=2000";

    public static LocalServer Postgres(string password = "hive-test")
    {
        return LocalServer.Create(
            "postgres",
            "postgres.sh",
            (port, dir) => [port.ToString(System.Globalization.CultureInfo.InvariantCulture), dir],
            new Dictionary<string, string> { ["HIVE_PG_PASSWORD"] = password },
            server => async ct =>
            {
                await using var connection = new NpgsqlConnection(PostgresConnectionString(server, "postgres", password) + ";Pooling=false;Timeout=3");
                await connection.OpenAsync(ct);
            },
            sharedKind: password == "hive-test" ? "postgres" : "postgres-" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(password)))[..8].ToLowerInvariant(),
            reset: async (server, ct) =>
            {
                // Every database but the templates (see CreateDatabaseAsync): a new test process starts empty.
                await using var connection = new NpgsqlConnection(PostgresConnectionString(server, "postgres", password) + ";Pooling=false");
                await connection.OpenAsync(ct);
                var databases = new List<string>();
                await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'", connection))
                await using (var reader = await list.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        databases.Add(reader.GetString(0));
                    }
                }

                foreach (var database in databases)
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync(ct);
                }
            });
    }

    public static string PostgresConnectionString(LocalServer server, string database, string password = "hive-test")
        => $"Host=127.0.0.1;Port={server.Port};Username=postgres;Password={password};Database={database}";

    /// <summary>Creates an empty database with a unique name so tests sharing a server never see each other's data.</summary>
    public static async Task<string> CreateDatabaseAsync(LocalServer postgres, string prefix, string password = "hive-test")
    {
        var name = UniqueDatabaseName(prefix);
        await using var connection = new NpgsqlConnection(PostgresConnectionString(postgres, "postgres", password) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return PostgresConnectionString(postgres, name, password);
    }

    private static string UniqueDatabaseName(string prefix) => $"{prefix}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Port, string Template), SemaphoreSlim> TemplateGates = new();

    /// <summary>
    /// Creates a database with a unique name as a copy of template <paramref name="template"/>, which
    /// <paramref name="prepare"/> builds (migrations, seed data) the first time it is asked for on this server.
    /// A copy takes a fraction of a second where building takes seconds; the template outlives a test process
    /// on a shared server (see <see cref="SharedServers"/>). <paramref name="prepare"/> gets a connection string
    /// without pooling, since a template must have no connections left when it is copied.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(LocalServer postgres, string prefix, string template, Func<string, Task> prepare, string password = "hive-test")
    {
        var templateName = "template_" + template;
        var gate = TemplateGates.GetOrAdd((postgres.Port, templateName), _ => new SemaphoreSlim(1, 1));
        var name = UniqueDatabaseName(prefix);
        await using var connection = new NpgsqlConnection(PostgresConnectionString(postgres, "postgres", password) + ";Pooling=false");
        await connection.OpenAsync();
        await gate.WaitAsync();
        try
        {
            await using var ready = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1 AND datistemplate", connection);
            ready.Parameters.Add(new NpgsqlParameter { Value = templateName });
            if ((long)(await ready.ExecuteScalarAsync())! == 0)
            {
                // Built under another name and renamed when complete, so a half-built template is never copied.
                var building = templateName + "_building";
                // One statement a command: neither may run inside the implicit transaction of a batch.
                foreach (var sql in (string[])[$"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)", $"CREATE DATABASE \"{building}\""])
                {
                    await using var create = new NpgsqlCommand(sql, connection);
                    await create.ExecuteNonQueryAsync();
                }

                await prepare(PostgresConnectionString(postgres, building, password) + ";Pooling=false");
                await using var finish = new NpgsqlCommand(
                    $"ALTER DATABASE \"{building}\" RENAME TO \"{templateName}\"; ALTER DATABASE \"{templateName}\" WITH IS_TEMPLATE true",
                    connection);
                await finish.ExecuteNonQueryAsync();
            }

            await using var copy = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{templateName}\"", connection);
            await copy.ExecuteNonQueryAsync();
        }
        finally
        {
            gate.Release();
        }

        return PostgresConnectionString(postgres, name, password);
    }

    public static LocalServer RabbitMq(string user = "hive", string password = "hive-test")
    {
        var distPort = LocalServer.FreePort();
        var epmdPort = LocalServer.FreePort();
        return LocalServer.Create(
            "rabbitmq",
            "rabbitmq.sh",
            (port, dir) =>
            [
                port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                distPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                dir,
            ],
            new Dictionary<string, string> { ["HIVE_RABBITMQ_USER"] = user, ["HIVE_RABBITMQ_PASSWORD"] = password },
            server => async ct =>
            {
                var factory = new ConnectionFactory { Uri = RabbitMqUri(server, user, password) };
                await using var connection = await factory.CreateConnectionAsync(ct);
            },
            sharedKind: "rabbitmq-" + user,
            reset: async (server, ct) =>
            {
                // The arguments the broker runs with: amqp, distribution and epmd ports, data folder.
                var arguments = server.SharedArguments;
                var info = new System.Diagnostics.ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in (string[])[Path.Combine(RepositoryRoot.Path, "infra", "rabbitmq-reset.sh"), arguments[0], arguments[2], arguments[3], user])
                {
                    info.ArgumentList.Add(argument);
                }

                using var process = System.Diagnostics.Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync(ct);
                var errors = process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"rabbitmq-reset.sh exited with {process.ExitCode}: {await output}{await errors}");
                }
            });
    }

    public static Uri RabbitMqUri(LocalServer server, string user = "hive", string password = "hive-test")
        => new($"amqp://{user}:{password}@127.0.0.1:{server.Port}/");
}
