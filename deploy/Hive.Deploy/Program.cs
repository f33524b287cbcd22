using Hive.Deploy.Kubernetes;
using Hive.Deploy.Manifest;

// Regenerates deploy/k8s from aspire-manifest.json: `dotnet run --project deploy/Hive.Deploy [-- --manifest F --output D]`.
// The output folder is replaced whole, so a resource removed from the AppHost leaves no file behind.
var root = FindRepositoryRoot();
var manifestPath = Option("--manifest") ?? Path.Combine(root, "aspire-manifest.json");
var output = Option("--output") ?? Path.Combine(root, "deploy", "k8s");

var manifest = AspireManifest.Load(manifestPath);
var policy = new DeployPolicy();

// --list-projects: one line per project (name, project file, container port or "-"), for deploy/images.sh.
if (args.Contains("--list-projects"))
{
    foreach (var project in manifest.Projects)
    {
        var port = project.Bindings.Count > 0 ? policy.ContainerPort(project.Bindings[0]).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
        Console.WriteLine($"{project.Name}\t{project.Path}\t{port}");
    }

    return 0;
}

var files = new KubernetesGenerator(manifest, policy).Generate();
var kept = Path.Combine(output, "overlays", "dev", "secrets.env");
var secrets = File.Exists(kept) ? File.ReadAllText(kept) : null;
if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
}

foreach (var (path, text) in files)
{
    var target = Path.Combine(output, path);
    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
    File.WriteAllText(target, text);
}

// The local secrets are the operator's, never generated: put them back where they were.
if (secrets is not null)
{
    File.WriteAllText(kept, secrets);
}

Console.WriteLine($"Wrote {files.Count} files to {output}");
return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Hive.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository (no Hive.sln found above the current folder).");
}
