using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Hive.AppHost;

internal static class InfrastructureExtensions
{
    public const string RedisName = "redis";
    public const string CoordinationName = "redis-coordination";
    public const string PostgresName = "postgres";
    public const string DatabaseName = "hive";
    public const string RabbitMqName = "rabbitmq";

    /// <summary>
    /// Adds Redis, Postgres (database <c>hive</c>) and RabbitMQ under the same connection-string names in
    /// either mode, chosen by <c>Hive:Infrastructure</c> (Auto, Containers, Executables). Publishing (the
    /// manifest) always describes containers: that is what a deployment runs.
    /// </summary>
    public static HiveInfrastructure AddHiveInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue("Hive:Infrastructure", InfrastructureMode.Auto);
        if (builder.ExecutionContext.IsPublishMode)
        {
            mode = InfrastructureMode.Containers;
        }
        else if (mode == InfrastructureMode.Auto)
        {
            mode = ContainerEngine.IsAvailable(TimeSpan.FromSeconds(5))
                ? InfrastructureMode.Containers
                : InfrastructureMode.Executables;
        }

        return mode == InfrastructureMode.Containers
            ? builder.AddContainerInfrastructure()
            : builder.AddLocalExecutableInfrastructure();
    }

    /// <summary>
    /// Containers keep their data in named volumes (Postgres, RabbitMQ's durable queues, both Redis servers
    /// with persistence), reused by the next run. The coordination Redis runs with Redis's default
    /// <c>maxmemory-policy noeviction</c>.
    /// </summary>
    private static HiveInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var redis = builder.AddRedis(RedisName).WithDataVolume().WithPersistence();
        var coordination = builder.AddRedis(CoordinationName).WithDataVolume().WithPersistence();
        var postgres = builder.AddPostgres(PostgresName).WithDataVolume();
        var database = postgres.AddDatabase(DatabaseName);
        var rabbitMq = builder.AddRabbitMQ(RabbitMqName).WithDataVolume();
        var endpoint = postgres.Resource.PrimaryEndpoint;
        return new HiveInfrastructure(
            AsConnectionString(redis), AsConnectionString(postgres), AsConnectionString(database), AsConnectionString(rabbitMq), AsConnectionString(coordination),
            (role, password) => ReferenceExpression.Create(
                $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={role};Password={password};Database={DatabaseName}"));
    }

    /// <summary>Either mode's resources, seen by the services only as connection strings.</summary>
    internal static IResourceBuilder<IResourceWithConnectionString> AsConnectionString<T>(IResourceBuilder<T> resource)
        where T : IResourceWithConnectionString => (IResourceBuilder<IResourceWithConnectionString>)resource;
}
