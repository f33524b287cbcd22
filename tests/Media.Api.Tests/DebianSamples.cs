using System.Diagnostics;

namespace Media.Api.Tests;

/// <summary>
/// Files out of Debian packages without installing them (<c>apt-get download</c> + <c>dpkg -x</c>), kept in
/// one folder per machine: python3-skimage's photographs and opencv-data's Haar cascades.
/// </summary>
public static class DebianSamples
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "hive-media-samples");
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static Task<string> AstronautAsync() => FileAsync("python3-skimage", "usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    public static Task<string> CoffeeAsync() => FileAsync("python3-skimage", "usr/lib/python3/dist-packages/skimage/data/coffee.png");

    public static Task<string> FaceCascadeAsync() => FileAsync("opencv-data", "usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");

    private static async Task<string> FileAsync(string package, string relativePath)
    {
        var target = Path.Combine(Root, package, relativePath);
        if (File.Exists(target))
        {
            return target;
        }

        await Gate.WaitAsync();
        try
        {
            if (File.Exists(target))
            {
                return target;
            }

            var downloads = Path.Combine(Root, "debs");
            Directory.CreateDirectory(downloads);
            await RunAsync("apt-get", $"download {package}", downloads);
            var deb = Directory.GetFiles(downloads, package + "_*.deb").OrderByDescending(File.GetLastWriteTimeUtc).First();
            var into = Path.Combine(Root, package);
            Directory.CreateDirectory(into);
            await RunAsync("dpkg", $"-x {deb} {into}", downloads);
            return File.Exists(target) ? target : throw new FileNotFoundException($"{package} has no {relativePath}.", target);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string program, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {program}.");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.StandardOutput.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await error}");
        }
    }
}
