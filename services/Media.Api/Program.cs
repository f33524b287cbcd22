using Hive.Caching;
using Hive.Messaging;
using Media.Api.Apis;
using Media.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapMediaApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
