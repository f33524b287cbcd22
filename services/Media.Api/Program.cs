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
builder.Services.AddOpenApi();

var app = builder.Build();

app.MapDefaultEndpoints();
// The API contract: docs/openapi/ holds the checked-in copy; the mobile SDK is checked against it.
app.MapOpenApi();
app.MapMediaApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
