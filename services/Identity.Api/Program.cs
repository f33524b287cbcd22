using Identity.Api.Apis;
using Identity.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddHiveOpenApi(AccountExamples.Add);

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseForwardedHeadersFromGateway();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapConnectApi();
app.MapLoginApi();
app.MapAccountsApi();

app.Run();

public partial class Program;
