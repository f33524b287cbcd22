namespace Hive.Testing;

/// <summary>Finds the repository root (the folder holding Hive.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Hive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Hive.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path => Root.Value;
}
