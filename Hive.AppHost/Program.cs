using Microsoft.Extensions.Configuration;
using Hive.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers where an engine runs, Debian's servers as local executables elsewhere.
var infrastructure = builder.AddHiveInfrastructure();
var redis = infrastructure.Redis;
var database = infrastructure.Database;
var rabbitMq = infrastructure.RabbitMq;

// The migrator applies database/migrations (and the demo data) and exits; services start after it.
var migrator = builder.AddProject<Projects.Hive_Migrator>("migrator", launchProfileName: null)
    .WithReference(database)
    .WaitFor(infrastructure.PostgresServer)
    .WithEnvironment("Hive__Seed", builder.Configuration["Hive:Seed"] ?? "demo");

// Services: each caches in its own Redis namespace and consumes ProductChanged on its own queue.
// Hive:Replicas runs catalog and search as several replicas (their memory caches stay coherent via the backplane).
var replicas = builder.Configuration.GetValue("Hive:Replicas", 1);
var catalog = builder.AddHiveService<Projects.Catalog_Api>("catalog", infrastructure, migrator, replicas);
var search = builder.AddHiveService<Projects.Search_Api>("search", infrastructure, migrator, replicas);
// Media keeps originals (and large renderings) in a data folder that outlives the AppHost; its URL
// signing key is a generated secret parameter (kept in the AppHost's user secrets), never a committed file.
var mediaUrlKey = builder.AddParameter("media-url-signing-key", new GenerateParameterDefault { MinLength = 43, Special = false }, secret: true, persist: true);
var media = builder.AddHiveService<Projects.Media_Api>("media", infrastructure, migrator)
    .WithEnvironment("Media__DataRoot", builder.ExecutionContext.IsPublishMode ? "/data/media" : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".hive", "media")))
    .WithEnvironment("Media__UrlSigningKey", mediaUrlKey);
var metrics = builder.AddHiveService<Projects.Metrics_Api>("metrics", infrastructure, migrator)
    .WithReference(catalog)
    .WithReference(search)
    .WithReference(media);

// The gateway is the only door for clients: it finds the services through service discovery.
var gateway = builder.AddHiveProject<Projects.Hive_Gateway>("gateway")
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(search).WaitFor(search)
    .WithReference(media).WaitFor(media)
    .WithReference(metrics).WaitFor(metrics)
    .WithHttpHealthCheck("/health/ready")
    .WithExternalHttpEndpoints()
    .AnnounceWhenReady("Hive gateway");

builder.Build().Run();
