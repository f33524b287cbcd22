using Catalog.Api.Apis;
using Catalog.Api.Extensions;
using Hive.Caching;
using Hive.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
