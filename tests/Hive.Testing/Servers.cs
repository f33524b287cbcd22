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
            });
    }

    public static string PostgresConnectionString(LocalServer server, string database, string password = "hive-test")
        => $"Host=127.0.0.1;Port={server.Port};Username=postgres;Password={password};Database={database}";

    /// <summary>Creates an empty database with a unique name so tests sharing a server never see each other's data.</summary>
    public static async Task<string> CreateDatabaseAsync(LocalServer postgres, string prefix, string password = "hive-test")
    {
        var name = $"{prefix}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        await using var connection = new NpgsqlConnection(PostgresConnectionString(postgres, "postgres", password) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
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
            });
    }

    public static Uri RabbitMqUri(LocalServer server, string user = "hive", string password = "hive-test")
        => new($"amqp://{user}:{password}@127.0.0.1:{server.Port}/");
}
