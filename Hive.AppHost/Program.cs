using Microsoft.Extensions.Configuration;
using Hive.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers where an engine runs, Debian's servers as local executables elsewhere.
var infrastructure = builder.AddHiveInfrastructure();
var redis = infrastructure.Redis;
var database = infrastructure.Database;

// The migrator applies database/migrations (and the demo data) and exits; services start after it.
var migrator = builder.AddProject<Projects.Hive_Migrator>("migrator", launchProfileName: null)
    .WithReference(database)
    .WaitFor(infrastructure.PostgresServer)
    .WithEnvironment("Hive__Seed", builder.Configuration["Hive:Seed"] ?? "demo");

// Identity: OpenID Connect tokens for the whole fleet (users and clients in the identity schema of "hive").
// With demo data it also creates demo accounts whose password is Hive:DemoPassword, or one made up per run.
var seed = builder.Configuration["Hive:Seed"] ?? "demo";
var identity = builder.AddHiveProject<Projects.Identity_Api>("identity")
    .WithReference(database).WaitFor(infrastructure.PostgresServer)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready");
if (!seed.Equals("none", StringComparison.OrdinalIgnoreCase))
{
    identity.WithDemoAccounts(builder.Configuration["Hive:DemoPassword"]);
}

// Services: each caches in its own Redis namespace and consumes ProductChanged on its own queue.
// Hive:Replicas runs catalog and search as several replicas (their memory caches stay coherent via the backplane).
var replicas = builder.Configuration.GetValue("Hive:Replicas", 1);
// Every service validates tokens through the identity service's discovery document (WithReference(identity)).
var catalog = builder.AddHiveService<Projects.Catalog_Api>("catalog", infrastructure, migrator, replicas).WithReference(identity);
var search = builder.AddHiveService<Projects.Search_Api>("search", infrastructure, migrator, replicas).WithReference(identity);
// Media keeps originals (and large renderings) in a data folder that outlives the AppHost; its URL
// signing key is a generated secret parameter (kept in the AppHost's user secrets), never a committed file.
var mediaUrlKey = builder.AddParameter("media-url-signing-key", new GenerateParameterDefault { MinLength = 43, Special = false }, secret: true, persist: true);
var media = builder.AddHiveService<Projects.Media_Api>("media", infrastructure, migrator)
    .WithReference(identity)
    .WithEnvironment("Media__DataRoot", builder.ExecutionContext.IsPublishMode ? "/data/media" : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".hive", "media")))
    .WithEnvironment("Media__UrlSigningKey", mediaUrlKey);
var metrics = builder.AddHiveService<Projects.Metrics_Api>("metrics", infrastructure, migrator)
    .WithReference(identity)
    .WithReference(catalog)
    .WithReference(search)
    .WithReference(media);

// The gateway is the only door for clients: it finds the services through service discovery. Its rate
// limits live in Redis so every replica (Hive:GatewayReplicas) draws on one budget per client.
var gateway = builder.AddHiveProject<Projects.Hive_Gateway>("gateway")
    .WithReference(identity).WaitFor(identity)
    .WithReplicas(builder.Configuration.GetValue("Hive:GatewayReplicas", 1))
    .WithReference(redis).WaitFor(redis)
    .WithReference(infrastructure.Coordination).WaitFor(infrastructure.Coordination)
    .WithGatewaySettings(builder.Configuration)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(search).WaitFor(search)
    .WithReference(media).WaitFor(media)
    .WithReference(metrics).WaitFor(metrics)
    .WithHttpHealthCheck("/health/ready")
    .WithExternalHttpEndpoints()
    .AnnounceWhenReady("Hive gateway");

// Tokens name the address clients see (the gateway), whichever way the identity service was reached.
identity.WithEnvironment("Identity__Issuer", gateway.GetEndpoint("http"));

// The metrics service gathers the gateway's request figures too (no WaitFor: the gateway waits for metrics).
metrics.WithReference(gateway);

// Benchmarks only: the same gateway without rate limits beside it, so one run measures what the limiter costs.
if (builder.Configuration.GetValue("Hive:Bench:GatewayWithoutRateLimits", false))
{
    builder.AddHiveProject<Projects.Hive_Gateway>("gateway-unlimited")
        .WithReference(redis).WaitFor(redis)
        .WithReference(infrastructure.Coordination).WaitFor(infrastructure.Coordination)
        .WithGatewaySettings(builder.Configuration)
        .WithEnvironment("Gateway__RateLimits__Enabled", "false")
        .WithHttpHealthCheck("/health/ready")
        .WithReference(identity).WithReference(catalog).WithReference(search).WithReference(media).WithReference(metrics)
        .WaitFor(gateway);
}

builder.Build().Run();
