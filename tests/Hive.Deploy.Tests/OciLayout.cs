using System.Diagnostics;
using System.Text.Json;
using Hive.Testing;

namespace Hive.Deploy.Tests;

/// <summary>An OCI image layout (index.json, blobs/sha256) as deploy/images.sh leaves it; read with no tool but JSON.</summary>
internal sealed class OciLayout
{
    private readonly string _root;

    private OciLayout(string root) => _root = root;

    public static OciLayout Built()
    {
        var root = Environment.GetEnvironmentVariable("HIVE_IMAGES_DIR") is { Length: > 0 } dir
            ? Path.Combine(dir, "oci")
            : Path.Combine(RepositoryRoot.Path, ".artifacts", "images", "oci");
        Assert.True(File.Exists(Path.Combine(root, "index.json")), $"No image layout at {root}: run `bash deploy/images.sh` first.");
        return new OciLayout(root);
    }

    public IReadOnlyList<string> Tags()
    {
        using var index = Read("index.json");
        return [.. index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!)];
    }

    /// <summary>The image configuration's "config" object (User, Entrypoint, ExposedPorts, Env, Labels).</summary>
    public ImageConfig Config(string tag)
    {
        using var index = Read("index.json");
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString() == tag)
            .GetProperty("digest").GetString()!;
        using var manifest = Read(Blob(manifestDigest));
        using var config = Read(Blob(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!));
        var c = config.RootElement.GetProperty("config");
        return new ImageConfig(
            c.TryGetProperty("User", out var user) ? user.GetString() : null,
            c.TryGetProperty("WorkingDir", out var workingDirectory) ? workingDirectory.GetString() : null,
            c.TryGetProperty("Entrypoint", out var entrypoint) ? [.. entrypoint.EnumerateArray().Select(e => e.GetString()!)] : [],
            c.TryGetProperty("ExposedPorts", out var ports) ? [.. ports.EnumerateObject().Select(p => p.Name)] : [],
            c.TryGetProperty("Env", out var env) ? [.. env.EnumerateArray().Select(e => e.GetString()!)] : [],
            c.TryGetProperty("Labels", out var labels) ? labels.EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!) : [],
            manifest.RootElement.GetProperty("layers").GetArrayLength());
    }

    /// <summary>Unpacks an image's root filesystem with umoci (as root, so owners and modes are the image's own).</summary>
    public async Task<string> UnpackAsync(string tag, string bundle)
    {
        var info = new ProcessStartInfo("umoci", ["unpack", "--image", $"{_root}:{tag}", bundle]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"umoci unpack {tag} failed: {await error}");
        return Path.Combine(bundle, "rootfs");
    }

    private string Blob(string digest) => Path.Combine("blobs", "sha256", digest["sha256:".Length..]);

    private JsonDocument Read(string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, relative)));
}

internal sealed record ImageConfig(
    string? User,
    string? WorkingDirectory,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<string> Env,
    IReadOnlyDictionary<string, string> Labels,
    int Layers);
