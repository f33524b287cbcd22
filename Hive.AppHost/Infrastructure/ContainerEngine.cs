using System.Diagnostics;

namespace Hive.AppHost;

/// <summary>
/// Tells whether a container engine actually answers. A machine may have the docker client without an
/// engine behind it, so the CLI being on PATH proves nothing: we ask the engine for its version.
/// </summary>
internal static class ContainerEngine
{
    public static bool IsAvailable(TimeSpan timeout)
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        return Answers(runtime, timeout) || (runtime == "docker" && Answers("podman", timeout));
    }

    private static bool Answers(string cli, TimeSpan timeout)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(cli, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && !string.IsNullOrWhiteSpace(process.StandardOutput.ReadToEnd());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The CLI is not installed.
            return false;
        }
    }
}
