using Hive.Caching;
using Hive.Messaging;
using Metrics.Api.Analytics;
using Metrics.Api.Apis;
using Metrics.Api.Fleet;
using Metrics.Api.Infrastructure;
using Metrics.Api.Views;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddHiveDatabase("hive");
builder.AddRedisClient("redis", configureOptions: options =>
{
    HiveRedis.Configure(options);
    options.AllowAdmin = true;
});
builder.AddHiveCaching("metrics");
builder.AddProductChangeConsumer<ProductTagInvalidationHandler>(
    "metrics",
    bus => bus.AddAnalyticsConsumer(),
    (context, rabbit) => rabbit.AddAnalyticsEndpoint(context));
builder.AddAnalyticsIngestion();
builder.AddFleetProbe();
builder.AddInfrastructureProbes();
builder.AddMaterializedViewRefresh();
builder.Services.AddHiveOpenApi(MetricsApiExamples.Add);

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapMetricsApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
