using Hive.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddGateway();

var app = builder.Build();

app.UseHiveProblemDetails();
app.UseGatewayLimits();
// Authentication runs between the limits and the rate limiter, so budgets key on the token subject.
app.UseAuthentication();
app.UseGatewayRateLimiting();
app.UseAuthorization();

// Public: the status only, never which dependency failed or why.
app.MapDefaultEndpoints(statusOnly: true);
app.MapGateway();

app.Run();
public partial class Program;
