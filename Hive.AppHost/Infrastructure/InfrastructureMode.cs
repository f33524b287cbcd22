namespace Hive.AppHost;

/// <summary>How the AppHost runs Redis, Postgres and RabbitMQ (setting <c>Hive:Infrastructure</c>).</summary>
internal enum InfrastructureMode
{
    /// <summary>Containers when a container engine answers, local executables otherwise (the default).</summary>
    Auto,

    /// <summary>Aspire container resources; needs a working Docker or Podman engine.</summary>
    Containers,

    /// <summary>Debian's redis-server, PostgreSQL and rabbitmq-server as local processes on free loopback ports.</summary>
    Executables,
}
