using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Identity.Api.Tests;

public sealed class ProductionConfigurationTests
{
    [Fact]
    public void ProductionRefusesToStartWithoutASigningCertificateAndNamesTheSetting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("ConnectionStrings:hive", "Host=127.0.0.1;Port=1;Database=hive");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Identity:SigningCertificate", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionRefusesACertificateThatDoesNotOpen()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("ConnectionStrings:hive", "Host=127.0.0.1;Port=1;Database=hive");
            host.UseSetting("Identity:SigningCertificate", Convert.ToBase64String("not a certificate"u8.ToArray()));
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Identity:SigningCertificate is not a base64 PKCS#12 certificate", Flatten(error), StringComparison.Ordinal);
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
