using Hive.Caching;
using Hive.Messaging;
using Metrics.Api.Apis;
using Metrics.Api.Fleet;
using Metrics.Api.Views;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveDatabase("hive");
builder.AddRedisClient("redis", configureOptions: options => options.AllowAdmin = true);
builder.AddHiveCaching("metrics");
builder.AddProductChangeConsumer<ProductTagInvalidationHandler>("metrics");
builder.AddFleetProbe();
builder.AddMaterializedViewRefresh();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMetricsApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
