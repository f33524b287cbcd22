using System.Diagnostics;
using System.Net;
using Hive.Deploy.Kubernetes;
using Hive.Deploy.Manifest;
using Hive.Testing;
using k8s;
using k8s.Models;

namespace Hive.Deploy.Tests;

/// <summary>The images deploy/images.sh builds, checked against the manifest and the Kubernetes files that run them.</summary>
public sealed class ImageTests
{
    private static readonly AspireManifest Manifest = AspireManifest.Load(DeployFolder.ManifestPath);

    [ImageFact]
    public void EveryProjectHasAnImageRunningAsTheUnprivilegedUserWithItsEntrypointPortAndLabels()
    {
        var layout = OciLayout.Built();
        var tags = layout.Tags();

        foreach (var project in Manifest.Projects)
        {
            Assert.Contains(project.Name, tags);
            var config = layout.Config(project.Name);
            // The same uid the Deployments' securityContext names, so runAsNonRoot holds and files are readable.
            Assert.Equal($"{DeployPolicy.RunAsUser}:{DeployPolicy.RunAsUser}", config.User);
            Assert.Equal(["/usr/share/dotnet/dotnet", $"/app/{Path.GetFileNameWithoutExtension(project.Path)}.dll"], config.Entrypoint);
            Assert.Equal("/app", config.WorkingDirectory);
            Assert.Equal(project.Name, config.Labels["org.opencontainers.image.title"]);
            Assert.Equal(project.Path, config.Labels["org.opencontainers.image.source"]);
            // The shared base and the app: a service change ships one small layer.
            Assert.Equal(2, config.Layers);
            if (project.Bindings.Count > 0)
            {
                Assert.Equal(["8080/tcp"], config.ExposedPorts);
                Assert.Equal("/health/live", config.Labels["io.hive.health.live"]);
                Assert.Equal("/health/ready", config.Labels["io.hive.health.ready"]);
                Assert.Contains("HTTP_PORTS=8080", config.Env);
            }
            else
            {
                Assert.Empty(config.ExposedPorts);
            }
        }
    }

    [ImageFact]
    public async Task TheGatewayImageAnswersLiveHealthFromItsOwnEntrypointAsTheUnprivilegedUserInAChroot()
    {
        var layout = OciLayout.Built();
        var config = layout.Config("gateway");
        var bundle = Directory.CreateTempSubdirectory("hive-image-");
        Process? process = null;
        try
        {
            var rootfs = await layout.UnpackAsync("gateway", Path.Combine(bundle.FullName, "bundle"));
            Assert.False(File.Exists(Path.Combine(rootfs, "bin", "sh")), "the base has a shell");
            Assert.False(File.Exists(Path.Combine(rootfs, "usr", "bin", "apt-get")) || File.Exists(Path.Combine(rootfs, "usr", "bin", "dpkg")), "the base has a package manager");
            Assert.Contains($"app:x:{DeployPolicy.RunAsUser}:", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "passwd")), StringComparison.Ordinal);

            // The gateway needs Redis (the shared rate-limit budget); the rest of its settings are the ones
            // the generated Kubernetes ConfigMap gives it.
            await using var redis = Servers.Redis();
            await redis.StartAsync();
            var settings = KubernetesYaml.LoadAllFromString(DeployFolder.Files()["base/gateway.yaml"]).OfType<V1ConfigMap>().Single().Data;

            var port = LocalServer.FreePort();
            // A private mount namespace gives the new root /proc and /dev, as a container runtime would; then
            // the image's entrypoint runs in its working directory as its user, with only its environment.
            var info = new ProcessStartInfo("/usr/bin/unshare")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var user = config.User!.Split(':');
            foreach (var argument in (string[])["--mount", "--fork", "--", "/bin/sh", "-c",
                "mkdir -p \"$0/proc\" \"$0/dev\" && mount --bind /proc \"$0/proc\" && mount --bind /dev \"$0/dev\" && " +
                "w=$1 g=$2 u=$3 && shift 3 && exec /usr/bin/unshare --root=\"$0\" --wd=\"$w\" --setgid=\"$g\" --setuid=\"$u\" \"$@\"",
                rootfs, config.WorkingDirectory!, user[1], user[0], .. config.Entrypoint])
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment.Clear();
            foreach (var variable in config.Env)
            {
                var equals = variable.IndexOf('=', StringComparison.Ordinal);
                info.Environment[variable[..equals]] = variable[(equals + 1)..];
            }

            foreach (var (name, value) in settings)
            {
                info.Environment[name] = value;
            }

            info.Environment["ConnectionStrings__redis"] = Servers.RedisConfiguration(redis);
            info.Environment["ConnectionStrings__redis-coordination"] = Servers.RedisConfiguration(redis);
            info.Environment["HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            process = Process.Start(info)!;
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var answer = await Eventually.SucceedsAsync(
                async () => process.HasExited ? null : await client.GetAsync($"http://127.0.0.1:{port}/health/live"),
                r => r is null || r.StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(120),
                "the gateway image's entrypoint answers /health/live");

            Assert.True(answer is not null, $"the entrypoint exited: {output}");
            Assert.Equal(HttpStatusCode.OK, answer!.StatusCode);
        }
        finally
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process?.Dispose();
            bundle.Delete(recursive: true);
        }
    }
}
