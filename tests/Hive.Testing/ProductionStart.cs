using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Hive.Testing;

/// <summary>
/// Starts a service in Production with its infrastructure named but none of its secrets, the way a
/// deployment that forgot one would, and returns why it refused to start (every message of the chain).
/// </summary>
public static class ProductionStart
{
    public static string FailureWithoutSecrets<TProgram>()
        where TProgram : class
    {
        using var factory = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            // Nothing answers on these; the start must fail on the missing secret before anything is dialled.
            host.UseSetting("ConnectionStrings:hive", "Host=127.0.0.1;Port=1;Database=hive");
            host.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false");
            host.UseSetting("ConnectionStrings:rabbitmq", "amqp://hive:unused@127.0.0.1:1/");
            host.UseSetting("Hive:Auth:Authority", "http://127.0.0.1:1");
        });

        return WhyItFailed(() => factory.CreateClient());
    }

    /// <summary>Runs a start that must fail and returns every message of the exception chain, joined by " | ".</summary>
    public static string WhyItFailed(Action start)
    {
        var error = Assert.ThrowsAny<Exception>(start);
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
