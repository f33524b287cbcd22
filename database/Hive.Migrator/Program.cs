using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Hive.Migrator;

// Applies database/migrations in order, records each one, and exits: safe to run any number of times.
var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureOpenTelemetry();

var connectionString = builder.Configuration.GetConnectionString("hive")
    ?? throw new InvalidOperationException("Connection string 'hive' is missing.");

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hive.Migrator");

await DatabaseMigrator.EnsureDatabaseAsync(connectionString, logger);
DatabaseMigrator.Migrate(connectionString, logger);

return 0;
