using Aspire.Hosting.ApplicationModel;

namespace Hive.AppHost;

/// <summary>A server run as a local process (no container engine) that services reach by connection string.</summary>
internal sealed class LocalServerResource(string name, string command, string workingDirectory, string connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression { get; } = ReferenceExpression.Create($"{connectionString}");
}

/// <summary>A database inside a <see cref="LocalServerResource"/>; the migrator creates it when missing.</summary>
internal sealed class LocalDatabaseResource(string name, LocalServerResource parent, string connectionString)
    : Resource(name), IResourceWithParent<LocalServerResource>, IResourceWithConnectionString
{
    public LocalServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression { get; } = ReferenceExpression.Create($"{connectionString}");
}
