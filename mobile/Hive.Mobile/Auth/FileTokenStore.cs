using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.Mobile.Auth;

/// <summary>
/// Tokens in a file readable by the current user only. Not a secure store: phones use their keychain
/// through <see cref="ITokenStore"/>; this one serves desktops, the terminal demo and tests.
/// </summary>
public sealed class FileTokenStore(string path) : ITokenStore
{
    public async ValueTask<TokenSet?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, TokenJsonContext.Default.TokenSet, cancellationToken);
    }

    public async ValueTask SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, tokens, TokenJsonContext.Default.TokenSet, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        File.Delete(path);
        return ValueTask.CompletedTask;
    }
}

[JsonSerializable(typeof(TokenSet))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
