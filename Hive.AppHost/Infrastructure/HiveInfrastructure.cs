using Aspire.Hosting.ApplicationModel;

namespace Hive.AppHost;

/// <summary>The pieces of infrastructure every service is wired to, whichever way they run.</summary>
/// <param name="Redis">Connection string <c>redis</c>: the cache (L2, backplane); evicts under memory pressure.</param>
/// <param name="PostgresServer">The server to wait for before the migrator runs.</param>
/// <param name="Database">Connection string <c>hive</c>: the application database.</param>
/// <param name="RabbitMq">Connection string <c>rabbitmq</c>.</param>
/// <param name="Coordination">
/// Connection string <c>redis-coordination</c>: locks, fencing counters, write generations, the version
/// ledger, counters and leaderboards, on a Redis that never evicts (see libraries/Hive.Caching/README.md).
/// </param>
/// <param name="DatabaseLogin">
/// The connection string of database <c>hive</c> for a login role of its own (role, password): what a
/// service gets instead of the owner's, so it can touch only what its role was granted.
/// </param>
internal sealed record HiveInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> PostgresServer,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> RabbitMq,
    IResourceBuilder<IResourceWithConnectionString> Coordination,
    Func<string, IResourceBuilder<ParameterResource>, ReferenceExpression> DatabaseLogin);
