using Hive.Caching;
using Hive.Messaging;
using Media.Api.Apis;
using Media.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddHiveOpenApi(MediaApiDocs.Add);

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
// The API contract: docs/openapi/ holds the checked-in copy; the mobile SDK is checked against it.
app.MapOpenApi();
app.MapMediaApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

public partial class Program;
