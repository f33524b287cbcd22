using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.AppHost;

/// <summary>
/// Redis (cache and coordination), PostgreSQL and RabbitMQ as local processes for machines without a
/// container engine, on free loopback ports. With <c>Hive:DataFolder</c> set (the run command sets it to
/// <c>.hive/data</c>) their data lives there and the next start reuses it: Postgres with durable settings,
/// both Redis servers with an append-only file, RabbitMQ under a fixed node name so its durable queues and
/// persistent messages come back, and the generated passwords in <c>secrets.json</c> beside them (mode 600).
/// Without it (tests), each gets a throw-away folder under <c>/tmp/hive-apphost-*</c>, removed when the
/// AppHost stops. The start scripts live in <c>infra/</c> and are shared with the test fixtures.
/// </summary>
internal static class LocalExecutableInfrastructure
{
    public const string DataFolderSetting = "Hive:DataFolder";
    private const string DataRootPrefix = "hive-apphost-";

    public static HiveInfrastructure AddLocalExecutableInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var scripts = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "infra"));
        var persistentFolder = builder.Configuration[DataFolderSetting];
        var persistent = !string.IsNullOrWhiteSpace(persistentFolder);
        string dataRoot;
        LocalSecrets secrets;
        if (persistent)
        {
            dataRoot = Path.GetFullPath(persistentFolder!, builder.AppHostDirectory);
            Directory.CreateDirectory(dataRoot);
            secrets = LocalSecrets.LoadOrCreate(Path.Combine(dataRoot, "secrets.json"));
        }
        else
        {
            dataRoot = CreateDataRoot();
            secrets = LocalSecrets.Create();
            builder.Services.AddHostedService(sp => new DataRootCleanup(dataRoot, sp.GetRequiredService<IHostApplicationLifetime>()));
        }

        var durability = persistent ? "persistent" : "throwaway";
        var redis = builder.AddLocalRedis(InfrastructureExtensions.RedisName, scripts, Path.Combine(dataRoot, "redis"), "cache", durability);
        var coordination = builder.AddLocalRedis(InfrastructureExtensions.CoordinationName, scripts, Path.Combine(dataRoot, "redis-coordination"), "coordination", durability);

        var pgPort = FreeListeningPort();
        var pgServer = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Password={secrets.Postgres}";
        var postgres = builder.AddResource(new LocalServerResource(InfrastructureExtensions.PostgresName, "bash", scripts, pgServer))
            .WithArgs(Path.Combine(scripts, "postgres.sh"), pgPort.ToString(), Path.Combine(dataRoot, "postgres"))
            .WithEnvironment("HIVE_PG_PASSWORD", secrets.Postgres)
            .WithEnvironment("HIVE_PG_DURABLE", persistent ? "1" : "0")
            .WithEndpoint(name: "tcp", port: pgPort, targetPort: pgPort, scheme: "tcp", isProxied: false)
            .WithLocalHealthCheck(builder, LocalHealthChecks.PostgresAsync(pgServer + ";Timeout=3"));
        var databaseConnection = $"{pgServer};Database={InfrastructureExtensions.DatabaseName}";
        var database = builder.AddResource(new LocalDatabaseResource(InfrastructureExtensions.DatabaseName, postgres.Resource, databaseConnection))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.Waiting, Properties = [] })
            .WithDatabaseHealth(builder, postgres, LocalHealthChecks.PostgresAsync(databaseConnection + ";Timeout=3"));

        var amqpPort = FreeListeningPort();
        var rabbitUri = $"amqp://hive:{secrets.RabbitMq}@127.0.0.1:{amqpPort}/";
        var rabbitMq = builder.AddResource(new LocalServerResource(InfrastructureExtensions.RabbitMqName, "bash", scripts, rabbitUri))
            .WithArgs(Path.Combine(scripts, "rabbitmq.sh"), amqpPort.ToString(), FreeListeningPort().ToString(), FreeListeningPort().ToString(), Path.Combine(dataRoot, "rabbitmq"))
            .WithEnvironment("HIVE_RABBITMQ_USER", "hive")
            .WithEnvironment("HIVE_RABBITMQ_PASSWORD", secrets.RabbitMq)
            .WithEndpoint(name: "tcp", port: amqpPort, targetPort: amqpPort, scheme: "tcp", isProxied: false)
            .WithLocalHealthCheck(builder, LocalHealthChecks.RabbitMqAsync(new Uri(rabbitUri)));
        if (persistent)
        {
            // RabbitMQ keeps its queues under the node name; ports change per run, the name must not.
            rabbitMq.WithEnvironment("HIVE_RABBITMQ_NODE", "hive@localhost");
        }

        return new HiveInfrastructure(
            InfrastructureExtensions.AsConnectionString(redis),
            InfrastructureExtensions.AsConnectionString(postgres),
            InfrastructureExtensions.AsConnectionString(database),
            InfrastructureExtensions.AsConnectionString(rabbitMq),
            InfrastructureExtensions.AsConnectionString(coordination),
            (role, password) => ReferenceExpression.Create(
                $"Host=127.0.0.1;Port={pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username={role};Password={password};Database={InfrastructureExtensions.DatabaseName}"));
    }

    private static IResourceBuilder<LocalServerResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, string scripts, string folder, string role, string durability)
    {
        var port = FreeListeningPort();
        return builder.AddResource(new LocalServerResource(name, "bash", scripts, $"127.0.0.1:{port},abortConnect=false"))
            .WithArgs(Path.Combine(scripts, "redis.sh"), port.ToString(), folder, role, durability)
            .WithEndpoint(name: "tcp", port: port, targetPort: port, scheme: "tcp", isProxied: false)
            .WithLocalHealthCheck(builder, LocalHealthChecks.RedisAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=2000"));
    }

    private static IResourceBuilder<LocalServerResource> WithLocalHealthCheck(
        this IResourceBuilder<LocalServerResource> resource,
        IDistributedApplicationBuilder builder,
        Func<CancellationToken, Task> probe)
    {
        var key = $"{resource.Resource.Name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            key, _ => new ProbeHealthCheck(probe), failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        return resource.WithHealthCheck(key);
    }

    /// <summary>
    /// A database has no process of its own: it runs once its server is ready, and its health is whether it
    /// answers (after the migrator created it), so the dashboard shows a state and health instead of Unknown.
    /// </summary>
    private static IResourceBuilder<LocalDatabaseResource> WithDatabaseHealth(
        this IResourceBuilder<LocalDatabaseResource> resource,
        IDistributedApplicationBuilder builder,
        IResourceBuilder<LocalServerResource> server,
        Func<CancellationToken, Task> probe)
    {
        var key = $"{resource.Resource.Name}_check";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            key, _ => new ProbeHealthCheck(probe), failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (e, _) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.PublishUpdateAsync(resource.Resource, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });
        return resource.WithHealthCheck(key);
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port for a server that binds it only later (Redis, Postgres and RabbitMQ once their scripts
    /// run; a service after the seeding): below the kernel's ephemeral range, so no outgoing connection made
    /// in the meantime can take it, as one did when <see cref="FreePort"/>'s port was bound a minute after it
    /// was chosen (and a restarted fleet's Postgres once found its port taken). Never the same port twice
    /// in one process: nothing listens on a port handed out until its server starts.
    /// </summary>
    internal static int FreeListeningPort()
    {
        var low = 32768;
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            && int.TryParse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var first))
        {
            low = first;
        }

        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(10_000, low);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                lock (HandedOut)
                {
                    if (HandedOut.Add(port))
                    {
                        return port;
                    }
                }
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        return FreePort();
    }

    /// <summary>A loopback port nothing listens on now, from the ephemeral range (only where no listening port can be found).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string CreateDataRoot()
    {
        var tmp = Path.GetTempPath();
        RemoveAbandonedDataRoots(tmp);
        var root = Path.Combine(tmp, $"{DataRootPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>An AppHost killed hard leaves its folder behind; the next one removes folders whose owner is gone.</summary>
    private static void RemoveAbandonedDataRoots(string tmp)
    {
        foreach (var dir in Directory.EnumerateDirectories(tmp, DataRootPrefix + "*"))
        {
            var pidText = Path.GetFileName(dir)[DataRootPrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, out var pid) && !ProcessExists(pid))
            {
                TryDelete(dir);
            }
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a process may still be writing; the next AppHost removes it.
        }
    }

    private sealed class DataRootCleanup(string dataRoot, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(() => TryDelete(dataRoot));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
