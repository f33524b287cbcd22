using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.Bench.Figures;

/// <summary>An experiment's saved figures: the run it came from and what it measured.</summary>
internal sealed record BenchDocument<T>(string Experiment, RunInfo Run, T Results);

/// <summary>
/// Reads and writes <c>bench/results/&lt;experiment&gt;.json</c>; the latest run of an experiment replaces
/// the file, so the plots are always of the figures last measured (git keeps the older ones).
/// </summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>bench/results in the repository the bench was built from (found from the binary's folder), else under the current folder.</summary>
    public static string DefaultFolder(string name) =>
        Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", name);

    public static async Task<string> SaveAsync<T>(string folder, string experiment, RunInfo run, T results, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, experiment + ".json");
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, new BenchDocument<T>(experiment, run.End(), results), Json, cancellationToken);
        return path;
    }

    /// <summary>The saved document of an experiment, or null when it has not been run (no file).</summary>
    public static async Task<BenchDocument<T>?> LoadAsync<T>(string folder, string experiment, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, experiment + ".json");
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BenchDocument<T>>(stream, Json, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    private static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Hive.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
