using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Search.Api.Tests;

/// <summary>
/// The key is a secret: no appsettings file holds it, so a Production start without it (the AppHost passes
/// a secret parameter) must fail at once, naming the setting, instead of running with a guessable key.
/// </summary>
public sealed class ProductionSecretTests
{
    [Fact]
    public void ProductionRefusesToStartWithoutTheKeyAndNamesTheSetting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            // Nothing answers on these; the start must fail on the missing key before anything is dialled.
            host.UseSetting("ConnectionStrings:hive", "Host=127.0.0.1;Port=1;Database=hive");
            host.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false");
            host.UseSetting("ConnectionStrings:rabbitmq", "amqp://hive:unused@127.0.0.1:1/");
            host.UseSetting("Hive:Auth:Authority", "http://127.0.0.1:1");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Search:CursorSigningKey", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
