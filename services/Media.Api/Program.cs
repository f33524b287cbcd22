using Hive.Caching;
using Hive.Messaging;
using Media.Api.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddHiveDatabase("hive");
builder.AddRedisClient("redis");
builder.AddHiveCaching("media");
builder.AddProductChangeConsumer<ProductTagInvalidationHandler>("media");

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMediaApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
