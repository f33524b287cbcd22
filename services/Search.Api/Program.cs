using Hive.Caching;
using Hive.Messaging;
using Search.Api.Apis;
using Search.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddApplicationServices();
builder.Services.AddHiveOpenApi(SearchApiExamples.Add);

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
// The API contract: docs/openapi/ holds the checked-in copy; the mobile SDK is checked against it.
app.MapOpenApi();
app.MapSearchApi();
app.MapCacheStatistics();
app.MapInvalidationLag();

app.Run();

/// <summary>Entry point, public so tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
