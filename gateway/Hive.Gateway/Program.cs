using Hive.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseGatewayLimits();
// Authentication belongs here, between the limits and the rate limiter, so budgets key on the token subject.
app.UseGatewayRateLimiting();

app.MapDefaultEndpoints();
app.MapGateway();

app.Run();
public partial class Program;
