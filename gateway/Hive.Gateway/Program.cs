using Hive.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHiveAuthentication();
builder.AddGateway();

var app = builder.Build();

// Public: the status only, never which dependency failed or why.
app.MapDefaultEndpoints(statusOnly: true);
app.MapGateway();

app.Run();
public partial class Program;
