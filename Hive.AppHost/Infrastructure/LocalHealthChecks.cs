using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Hive.AppHost;

/// <summary>Probes that speak each server's protocol: an open port alone does not mean the server is ready.</summary>
internal static class LocalHealthChecks
{
    public static Func<CancellationToken, Task> RedisAsync(string configuration) => async _ =>
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        await connection.GetDatabase().PingAsync();
    };

    public static Func<CancellationToken, Task> PostgresAsync(string connectionString) => async ct =>
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(ct);
    };

    public static Func<CancellationToken, Task> RabbitMqAsync(Uri uri) => async ct =>
    {
        var factory = new ConnectionFactory { Uri = uri, RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
    };
}

internal sealed class ProbeHealthCheck(Func<CancellationToken, Task> probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await probe(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
        }
    }
}
