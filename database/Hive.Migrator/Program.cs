using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Hive.Migrator;
using Hive.Seeding;

// Applies database/migrations in order, records each one, and exits: safe to run any number of times.
// With Hive:Seed=small|demo|large it then fills an empty database with generated marketplace data
// (never unless asked: the default is none).
var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureOpenTelemetry();

var connectionString = builder.Configuration.GetConnectionString("hive")
    ?? throw new InvalidOperationException("Connection string 'hive' is missing.");

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Hive.Migrator");

// Hive:Migrator:Mode=wait: apply nothing, return once the schema is current (the services' init container in Kubernetes).
if (string.Equals(builder.Configuration["Hive:Migrator:Mode"], "wait", StringComparison.OrdinalIgnoreCase))
{
    using var deadline = new CancellationTokenSource(builder.Configuration.GetValue("Hive:Migrator:WaitTimeout", TimeSpan.FromMinutes(15)));
    try
    {
        await DatabaseMigrator.WaitUntilCurrentAsync(connectionString, TimeSpan.FromSeconds(2), logger, deadline.Token);
        return 0;
    }
    catch (OperationCanceledException)
    {
        logger.LogError("The database schema did not become current in time");
        return 1;
    }
}

await DatabaseMigrator.EnsureDatabaseAsync(connectionString, logger);
DatabaseMigrator.Migrate(connectionString, logger);

// Each service logs in with its own role; the AppHost hands the passwords over as secret parameters.
var logins = builder.Configuration.GetSection("Hive:DatabaseRoles").GetChildren()
    .Where(role => !string.IsNullOrEmpty(role.Value))
    .ToDictionary(role => role.Key, role => role.Value!, StringComparer.Ordinal);
await DatabaseMigrator.SetServiceLoginsAsync(connectionString, logins, logger);

if (SeedSize.Parse(builder.Configuration["Hive:Seed"]) is { } seedSize)
{
    // Ctrl+C cancels the seed; it runs in one transaction, so the database is left empty, not half full.
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
    var seedNumber = builder.Configuration.GetValue("Hive:SeedNumber", 42);
    var seeded = await DatabaseSeeder.SeedIfEmptyAsync(connectionString, seedSize, seedNumber, new ConsoleSeedProgress(), cancel.Token);
    logger.LogInformation(seeded ? "Seeded {Size} data with seed {Seed}" : "Database already has data; {Size} seed {Seed} skipped", seedSize, seedNumber);
}

return 0;
