using Metrics.Api.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("hive");
builder.AddRedisClient("redis", configureOptions: options => options.AllowAdmin = true);

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMetricsApi();

app.Run();
