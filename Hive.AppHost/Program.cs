using Hive.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Hive.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers where an engine runs, Debian's servers as local executables elsewhere.
var infrastructure = builder.AddHiveInfrastructure();
var redis = infrastructure.Redis;
var database = infrastructure.Database;

// Demo data only when asked for in Production (never by default); everywhere else the demo set by default.
var production = builder.Environment.IsProduction();
var seed = builder.Configuration["Hive:Seed"] ?? (production ? "none" : "demo");

// The migrator applies database/migrations (and the demo data) as the schema's owner and exits; services
// start after it and log in with roles of their own (WithDatabaseLogin), whose passwords it sets.
var migrator = builder.AddProject<Projects.Hive_Migrator>("migrator", launchProfileName: null)
    .WithReference(database)
    .WaitFor(infrastructure.PostgresServer)
    .WithEnvironment("Hive__Seed", seed);

// Identity: OpenID Connect tokens for the whole fleet (users and clients in the identity schema of "hive").
// With demo data it also creates demo accounts whose password is Hive:DemoPassword, or one made up per run.
// In Production it signs and encrypts with certificates given as secret parameters, and refuses to start without them.
var identity = builder.AddHiveProject<Projects.Identity_Api>(HiveServices.Identity)
    .WithDatabaseLogin(infrastructure, migrator).WaitFor(infrastructure.PostgresServer)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health/ready");
if (!seed.Equals("none", StringComparison.OrdinalIgnoreCase))
{
    identity.WithDemoAccounts(builder.Configuration["Hive:DemoPassword"]);
}

if (production)
{
    identity.WithSigningCertificates();
}

// Services: each caches in its own Redis namespace and consumes ProductChanged on its own queue.
// Hive:Replicas runs every stateless service (catalog, search, media, metrics) as that many replicas: their
// memory caches stay coherent through the backplane, the outbox rows and the view refresh are taken by one
// replica at a time, and media's originals live in one shared folder. Identity stays one: its login cookie
// and antiforgery tokens are protected by a Data Protection key ring kept per machine, not shared between
// replicas, and outside Production its signing certificate lives in each machine's certificate store.
var replicas = builder.Configuration.GetValue("Hive:Replicas", 1);
// Every service validates tokens through the identity service's discovery document (WithReference(identity)).
// Cursor keys are generated secret parameters (kept in the AppHost's user secrets), shared by every replica.
var catalog = builder.AddHiveService<Projects.Catalog_Api>(HiveServices.Catalog, infrastructure, migrator, replicas).WithReference(identity)
    .WithInlineSocketCompletions(builder.Configuration)
    .WithEnvironment("Catalog__Auth__SigningKey", builder.AddGeneratedSecret("catalog-signing-key"));
var search = builder.AddHiveService<Projects.Search_Api>(HiveServices.Search, infrastructure, migrator, replicas).WithReference(identity)
    .WithEnvironment("Search__CursorSigningKey", builder.AddGeneratedSecret("search-cursor-key"));
// Media keeps originals (and large renderings) in a data folder that outlives the AppHost; its URL
// signing key is a generated secret parameter (kept in the AppHost's user secrets), never a committed file.
var mediaUrlKey = builder.AddGeneratedSecret("media-url-signing-key");
var media = builder.AddHiveService<Projects.Media_Api>(HiveServices.Media, infrastructure, migrator, replicas)
    .WithReference(identity)
    .WithEnvironment("Media__DataRoot", builder.ExecutionContext.IsPublishMode ? "/data/media" : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".hive", "media")))
    .WithEnvironment("Media__UrlSigningKey", mediaUrlKey);
if (builder.Configuration.GetValue("Hive:Media:Cloudinary", false))
{
    // Cloudinary delivery URLs: the account (cloudinary://key:secret@cloud) is a secret parameter too.
    media.WithEnvironment("CLOUDINARY_URL", builder.AddParameter("cloudinary-url", secret: true));
}

var metrics = builder.AddHiveService<Projects.Metrics_Api>(HiveServices.Metrics, infrastructure, migrator, replicas)
    .WithReference(identity)
    .WithReference(catalog)
    .WithReference(search)
    .WithReference(media);

// The gateway is the only door for clients: it finds the services through service discovery. Its rate
// limits live in Redis so every replica (Hive:GatewayReplicas) draws on one budget per client.
var gateway = builder.AddHiveProject<Projects.Hive_Gateway>(HiveServices.Gateway)
    .WithReference(identity).WaitFor(identity)
    .WithReplicas(builder.Configuration.GetValue("Hive:GatewayReplicas", 1))
    .WithReference(redis).WaitFor(redis)
    .WithReference(infrastructure.Coordination).WaitFor(infrastructure.Coordination)
    .WithGatewaySettings(builder.Configuration)
    .WithInlineSocketCompletions(builder.Configuration)
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
        .WithInlineSocketCompletions(builder.Configuration)
        .WithHttpHealthCheck("/health/ready")
        .WithReference(identity).WithReference(catalog).WithReference(search).WithReference(media).WithReference(metrics)
        .WaitFor(gateway);
}

builder.Build().Run();
