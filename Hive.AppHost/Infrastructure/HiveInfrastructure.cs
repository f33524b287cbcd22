using Aspire.Hosting.ApplicationModel;

namespace Hive.AppHost;

/// <summary>The three pieces of infrastructure every service is wired to, whichever way they run.</summary>
/// <param name="Redis">Connection string <c>redis</c>.</param>
/// <param name="PostgresServer">The server to wait for before the migrator runs.</param>
/// <param name="Database">Connection string <c>hive</c>: the application database.</param>
/// <param name="RabbitMq">Connection string <c>rabbitmq</c>.</param>
internal sealed record HiveInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> PostgresServer,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> RabbitMq);
