using Hive.Mobile.Tests.Fleet;
using Hive.Testing;

namespace Hive.Mobile.Tests.Contract;

/// <summary>
/// Each service's live OpenAPI document equals its checked-in copy in docs/openapi/, so an API change shows
/// in review and the SDK's contract tests read what the services really publish. After an intended change:
/// <c>HIVE_UPDATE_OPENAPI=1 dotnet test tests/Hive.Mobile.Tests --filter FullyQualifiedName~OpenApiDocument</c>, then commit.
/// </summary>
[Collection(MobileFleetCollection.Name)]
public sealed class OpenApiDocumentTests(MobileFleetFixture fleet)
{
    [Theory]
    [InlineData("catalog")]
    [InlineData("search")]
    [InlineData("media")]
    [InlineData("identity")]
    [InlineData("metrics")]
    public async Task TheLiveDocumentMatchesItsCheckedInCopy(string service)
    {
        using var http = fleet.App.CreateHttpClient(service);
        var live = OpenApiContract.Normalize(await http.GetStringAsync("/openapi/v1.json"));
        var path = OpenApiDocuments.PathOf(service);

        if (Environment.GetEnvironmentVariable("HIVE_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, live);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the test with HIVE_UPDATE_OPENAPI=1 and commit it.");
        var committed = OpenApiContract.Normalize(await File.ReadAllTextAsync(path));
        Assert.True(committed == live, $"The {service} API changed but {Path.GetRelativePath(RepositoryRoot.Path, path)} did not: run with HIVE_UPDATE_OPENAPI=1, review the difference, and commit it.");
    }
}
