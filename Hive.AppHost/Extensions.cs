using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var project = builder.AddProject<TProject>(name, launchProfileName: null);
        if (DirectEndpoints(builder))
        {
            // Hive:DirectEndpoints (benchmarks): the service listens on the port others call, with no DCP
            // proxy relaying every connection in between (the proxy costs a hop and CPU on each request,
            // which no deployment has). One replica only: replicas share the proxy's port.
            var port = LocalExecutableInfrastructure.FreeListeningPort();
            project.WithHttpEndpoint(port: port, targetPort: port, isProxied: false);
        }
        else
        {
            project.WithHttpEndpoint();
        }

        return project
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            // The fleet reaches its identity service's discovery document over the private network in plain
            // HTTP (TLS ends at the ingress), which JwtBearer refuses in Production unless told.
            .WithEnvironment("Hive__Auth__RequireHttpsMetadata", "false");
    }

    /// <summary>
    /// Socket completions run on the socket engine's threads (one per core) instead of being handed to the
    /// thread pool, which on a two-core machine made a service wake a pool thread (and that one another) for
    /// each read: 9-10 thread switches per request at 1,000 requests/s, a third of the CPU (bench/RESULTS.md).
    /// Only for services whose request code never blocks a thread (no synchronous I/O, no sync-over-async, no
    /// long computation), since a blocked engine thread stalls every socket it serves: the gateway and
    /// catalog. Identity hashes passwords and media renders images on request threads; they keep the hand-off.
    /// <c>Hive:InlineSocketCompletions=false</c> turns it off everywhere.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithInlineSocketCompletions(this IResourceBuilder<ProjectResource> project, IConfiguration configuration)
        => configuration.GetValue("Hive:InlineSocketCompletions", true)
            ? project.WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
            : project;

    private static bool DirectEndpoints(IDistributedApplicationBuilder builder)
        => !builder.ExecutionContext.IsPublishMode && builder.Configuration.GetValue("Hive:DirectEndpoints", false);

    /// <summary>
    /// Adds a Hive service wired to every piece of infrastructure it may use; it starts only after the
    /// infrastructure is healthy and the migrator has finished, and is healthy when its /health/ready is.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddHiveService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        HiveInfrastructure infrastructure,
        IResourceBuilder<ProjectResource> migrator,
        int replicas = 1)
        where TProject : IProjectMetadata, new()
    {
        if (replicas > 1 && DirectEndpoints(builder))
        {
            throw new InvalidOperationException($"Hive:DirectEndpoints needs one replica of each service ({name} asks for {replicas}): replicas are reached through the DCP proxy.");
        }

        return builder.AddHiveProject<TProject>(name)
            .WithReplicas(replicas)
            .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
            .WithReference(infrastructure.Coordination).WaitFor(infrastructure.Coordination)
            .WithDatabaseLogin(infrastructure, migrator).WaitFor(infrastructure.PostgresServer)
            .WithReference(infrastructure.RabbitMq).WaitFor(infrastructure.RabbitMq)
            .WaitForCompletion(migrator)
            .WithHttpHealthCheck("/health/ready");
    }

    /// <summary>
    /// The service logs in to database <c>hive</c> as its own role <c>hive_{name}</c> (made by the migration
    /// <c>0040_service_roles.sql</c>, with only the grants that service needs), never as the owner. Its
    /// password is a generated secret parameter <c>{name}-db-password</c>; the migrator sets it on the role.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseLogin(
        this IResourceBuilder<ProjectResource> service, HiveInfrastructure infrastructure, IResourceBuilder<ProjectResource> migrator)
    {
        var name = service.Resource.Name;
        var password = service.ApplicationBuilder.AddGeneratedSecret($"{name}-db-password");
        migrator.WithEnvironment($"Hive__DatabaseRoles__{name}", password);
        return service.WithEnvironment("ConnectionStrings__hive", infrastructure.DatabaseLogin($"hive_{name}", password));
    }

    /// <summary>
    /// A secret parameter that makes up its own value when none is given (kept in the AppHost's user secrets
    /// so a restart keeps it); a deployment supplies its own, or the manifest's generator makes one.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name)
        => builder.AddParameter(name, new GenerateParameterDefault { MinLength = 43, Special = false }, secret: true, persist: true);

    /// <summary>
    /// Production tokens are signed and encrypted with certificates given as secret parameters (base64
    /// PKCS#12 and their password); the identity service refuses to start without them, naming the setting.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSigningCertificates(this IResourceBuilder<ProjectResource> identity)
    {
        var builder = identity.ApplicationBuilder;
        var password = builder.AddParameter("identity-certificate-password", secret: true);
        return identity
            .WithEnvironment("Identity__SigningCertificate", builder.AddParameter("identity-signing-certificate", secret: true))
            .WithEnvironment("Identity__SigningCertificatePassword", password)
            .WithEnvironment("Identity__EncryptionCertificate", builder.AddParameter("identity-encryption-certificate", secret: true))
            .WithEnvironment("Identity__EncryptionCertificatePassword", password);
    }

    /// <summary>
    /// Demo accounts (admin@hive.test, seller-{businessId}@hive.test, buyer-1..3@hive.test) with one password:
    /// the given one, or a fresh random one per run, printed once the identity service is up. Never a
    /// password in the repository.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDemoAccounts(this IResourceBuilder<ProjectResource> identity, string? password)
    {
        var builder = identity.ApplicationBuilder;
        if (builder.ExecutionContext.IsPublishMode)
        {
            // A deployment supplies its own (secret) demo password, if it seeds demo data at all.
            return identity.WithEnvironment("Identity__DemoPassword", builder.AddParameter("demo-password", secret: true));
        }

        var demoPassword = string.IsNullOrWhiteSpace(password)
            ? "demo-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()
            : password;
        identity.WithEnvironment("Identity__DemoPassword", demoPassword);
        builder.Eventing.Subscribe<ResourceReadyEvent>(identity.Resource, (@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hive.AppHost")
                .LogInformation(
                    "Demo sign-in (password {Password}): admin@hive.test (admin), seller-<businessId>@hive.test (seller of that business), buyer-1@hive.test .. buyer-3@hive.test (buyers)",
                    demoPassword);
            return Task.CompletedTask;
        });
        return identity;
    }

    /// <summary>
    /// Hands the AppHost's own <c>Gateway:*</c> settings (rate limits, body limits, trusted proxies) to the
    /// gateway, so a run or a test can tune them from the command line: <c>--Gateway:RateLimits:Enabled=false</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewaySettings(this IResourceBuilder<ProjectResource> gateway, IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.GetSection("Gateway").AsEnumerable())
        {
            if (value is not null)
            {
                gateway.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return gateway;
    }

    /// <summary>Prints the resource's http URL once it is healthy, so the run command ends with where to go.</summary>
    public static IResourceBuilder<ProjectResource> AnnounceWhenReady(this IResourceBuilder<ProjectResource> resource, string title)
    {
        resource.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(resource.Resource, (@event, _) =>
        {
            var url = resource.GetEndpoint("http").Url;
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hive.AppHost")
                .LogInformation("{Title} is ready at {Url} (for example {Example})", title, url, url + "/api/catalog/categories");
            return Task.CompletedTask;
        });
        return resource;
    }
}
