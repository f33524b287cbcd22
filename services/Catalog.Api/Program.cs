using Catalog.Api.Apis;
using Catalog.Api.Extensions;
using Hive.Caching;
using Hive.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddHiveOpenApi(CatalogApiDocs.Add);

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
// The API contract: docs/openapi/ holds the checked-in copy; the mobile SDK is checked against it.
app.MapOpenApi();
app.MapCatalogApi();
app.MapProductWriteApi();
app.MapSellerApi();
app.MapOrdersApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
