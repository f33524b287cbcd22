using Xunit;

namespace Hive.Testing;

/// <summary>One redis-server for a test class or collection; started once, removed at the end.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public LocalServer Server { get; } = Servers.Redis();

    public string Configuration => Servers.RedisConfiguration(Server);

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

/// <summary>One PostgreSQL 15 server for a test class or collection; tests create their own databases on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public LocalServer Server { get; } = Servers.Postgres();

    public Task<string> CreateDatabaseAsync(string prefix) => Servers.CreateDatabaseAsync(Server, prefix);

    /// <summary>A database of its own copied from a template that <paramref name="prepare"/> builds once (see <see cref="Servers.CreateDatabaseAsync(LocalServer, string, string, Func{string, Task}, string)"/>).</summary>
    public Task<string> CreateDatabaseAsync(string prefix, string template, Func<string, Task> prepare)
        => Servers.CreateDatabaseAsync(Server, prefix, template, prepare);

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

/// <summary>One rabbitmq-server for a test class or collection.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public LocalServer Server { get; } = Servers.RabbitMq();

    public Uri Uri => Servers.RabbitMqUri(Server);

    public Task InitializeAsync() => Server.StartAsync(TimeSpan.FromSeconds(90));

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
