using Hive.Testing;

namespace Catalog.Api.Tests;

/// <summary>
/// The key is a secret: no appsettings file holds it, so a Production start without it (the AppHost passes
/// a secret parameter) must fail at once, naming the setting, instead of running with a guessable key.
/// </summary>
public sealed class ProductionSecretTests
{
    [Fact]
    public void ProductionRefusesToStartWithoutTheKeyAndNamesTheSetting()
        => Assert.Contains("Catalog:Auth:SigningKey", ProductionStart.FailureWithoutSecrets<Program>(), StringComparison.Ordinal);
}
