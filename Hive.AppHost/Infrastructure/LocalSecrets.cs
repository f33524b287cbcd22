using System.Security.Cryptography;
using System.Text.Json;

namespace Hive.AppHost;

/// <summary>
/// Passwords of the local Postgres and RabbitMQ. Throw-away servers get new ones each run; servers whose
/// data is kept must get the same ones again (initdb and RabbitMQ store them on the first start), so those
/// are kept in the data folder, readable by the owner only.
/// </summary>
internal sealed record LocalSecrets(string Postgres, string RabbitMq)
{
    public static LocalSecrets Create() => new(NewSecret(), NewSecret());

    public static LocalSecrets LoadOrCreate(string path)
    {
        if (File.Exists(path) && JsonSerializer.Deserialize<LocalSecrets>(File.ReadAllText(path)) is { Postgres.Length: > 0, RabbitMq.Length: > 0 } kept)
        {
            return kept;
        }

        var secrets = Create();
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secrets;
    }

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
