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
var media = builder.AddHiveService<Projects.Media_Api>("media", infrastructure, migrator);
var metrics = builder.AddHiveService<Projects.Metrics_Api>("metrics", infrastructure, migrator)
    .WithReference(catalog)
    .WithReference(search)
    .WithReference(media);

// The gateway is the only door for clients: it finds the services through service discovery. Its rate
// limits live in Redis so every replica (Hive:GatewayReplicas) draws on one budget per client.
var gateway = builder.AddHiveProject<Projects.Hive_Gateway>("gateway")
    .WithReplicas(builder.Configuration.GetValue("Hive:GatewayReplicas", 1))
    .WithReference(redis).WaitFor(redis)
    .WithGatewaySettings(builder.Configuration)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(search).WaitFor(search)
    .WithReference(media).WaitFor(media)
    .WithReference(metrics).WaitFor(metrics)
    .WithHttpHealthCheck("/health/ready")
    .WithExternalHttpEndpoints()
    .AnnounceWhenReady("Hive gateway");

// Benchmarks only: the same gateway without rate limits beside it, so one run measures what the limiter costs.
if (builder.Configuration.GetValue("Hive:Bench:GatewayWithoutRateLimits", false))
{
    builder.AddHiveProject<Projects.Hive_Gateway>("gateway-unlimited")
        .WithReference(redis).WaitFor(redis)
        .WithGatewaySettings(builder.Configuration)
        .WithEnvironment("Gateway__RateLimits__Enabled", "false")
        .WithHttpHealthCheck("/health/ready")
        .WithReference(catalog).WithReference(search).WithReference(media).WithReference(metrics)
        .WaitFor(gateway);
}

builder.Build().Run();
