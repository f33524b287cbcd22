using System.Diagnostics;
using Hive.Testing;

namespace Hive.IntegrationTests;

public sealed class ManifestTests
{
    /// <summary>
    /// aspire-manifest.json is what the AppHost's manifest publisher produces; when the model changes and
    /// the file is not regenerated (scripts/manifest.sh), this fails.
    /// </summary>
    [Fact]
    public async Task CommittedManifestMatchesWhatTheAppHostPublishes()
    {
        var root = RepositoryRoot.Path;
        var committed = Path.Combine(root, "aspire-manifest.json");
        var generated = Path.Combine(root, $"aspire-manifest.check-{Guid.NewGuid():N}.json");
        var appHostProject = Projects.Hive_AppHost.ProjectPath;
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        try
        {
            var info = new ProcessStartInfo("dotnet",
                ["run", "--project", appHostProject, "--no-build", "--no-launch-profile", "-c", configuration, "--",
                 "--publisher", "manifest", "--output-path", generated])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"manifest publisher failed: {await stdout}{await stderr}");

            var expected = Normalize(await File.ReadAllTextAsync(committed));
            var actual = Normalize(await File.ReadAllTextAsync(generated));
            Assert.True(expected == actual, "aspire-manifest.json is out of date: run `bash scripts/manifest.sh` and commit it.");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    /// <summary>
    /// Socket completions run inline only where request code never blocks a thread: the gateway and catalog.
    /// Identity (password hashing) and media (image rendering) must keep the thread-pool hand-off, or one
    /// slow request would stall every socket on its engine thread. Read from the committed manifest, which
    /// the test above keeps equal to what the AppHost publishes (and deploy/k8s is generated from).
    /// </summary>
    [Fact]
    public async Task OnlyTheGatewayAndCatalogRunSocketCompletionsInline()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json")));
        var inline = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(resource => resource.Value.TryGetProperty("env", out var env)
                && env.TryGetProperty("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", out var value) && value.GetString() == "1")
            .Select(resource => resource.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["catalog", "gateway"], inline);
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
