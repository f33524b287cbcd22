using Hive.Caching;
using Hive.Messaging;
using Search.Api.Apis;
using Search.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSearchApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

/// <summary>Entry point, public so tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
