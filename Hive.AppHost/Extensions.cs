using Aspire.Hosting.ApplicationModel;

namespace Hive.AppHost;

internal static class Extensions
{
    /// <summary>
    /// Adds a web project on a port Aspire picks (no launch profile, no port written anywhere), in the
    /// AppHost's own environment.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddHiveProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        return builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint()
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName);
    }

    /// <summary>
    /// Adds a Hive service wired to every piece of infrastructure it may use; it starts only after the
    /// infrastructure is healthy and the migrator has finished, and is healthy when its /health/ready is.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddHiveService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        HiveInfrastructure infrastructure,
        IResourceBuilder<ProjectResource> migrator)
        where TProject : IProjectMetadata, new()
    {
        return builder.AddHiveProject<TProject>(name)
            .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
            .WithReference(infrastructure.Database).WaitFor(infrastructure.PostgresServer)
            .WithReference(infrastructure.RabbitMq).WaitFor(infrastructure.RabbitMq)
            .WaitForCompletion(migrator)
            .WithHttpHealthCheck("/health/ready");
    }
}
