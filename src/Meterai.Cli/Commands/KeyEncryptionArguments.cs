using System.CommandLine;
using Meterai.Core.Secrets;
using Meterai.Storage.Secrets;

namespace Meterai.Cli.Commands;

/// <summary>
/// <c>--kek-file</c>: the key-encryption keys that seal the secrets a command reads or writes, found the way the
/// server finds them: the option, else <c>METERAI_Secrets__KeyEncryptionKey</c> or
/// <c>METERAI_Secrets__KeyEncryptionKeyFile</c>, else the development key file of this user
/// (<c>~/.config/meterai/key-encryption.keys</c>, created when <paramref name="createDevelopmentKey"/>).
/// </summary>
internal sealed class KeyEncryptionArguments(bool createDevelopmentKey)
{
    public Option<string?> File { get; } = new("--kek-file")
    {
        Description = "key-encryption key file (default: METERAI_Secrets__KeyEncryptionKey(File), else the development key file ~/.config/meterai/key-encryption.keys)",
    };

    public void AddTo(Command command) => command.Options.Add(File);

    /// <summary>The sealer from <paramref name="path"/>, the environment or the development key file (see the class); throws when there is none.</summary>
    public static SecretSealer Resolve(string? path, bool createDevelopmentKey)
    {
        if (path is { Length: > 0 }) return KeyEncryptionKeyFile.Load(path);
        if (Environment.GetEnvironmentVariable("METERAI_Secrets__KeyEncryptionKey") is { Length: > 0 } inline) return KeyEncryptionKeyFile.FromText(inline);
        if (Environment.GetEnvironmentVariable("METERAI_Secrets__KeyEncryptionKeyFile") is { Length: > 0 } file) return KeyEncryptionKeyFile.Load(file);
        var development = KeyEncryptionKeyFile.DevelopmentPath;
        return createDevelopmentKey ? KeyEncryptionKeyFile.LoadOrCreate(development) : KeyEncryptionKeyFile.Load(development);
    }

    /// <summary>The sealer, or null after writing why there is none.</summary>
    public async Task<SecretSealer?> ReadAsync(ParseResult parse)
    {
        try
        {
            return Resolve(parse.GetValue(File), createDevelopmentKey);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: key-encryption key: {e.Message}");
            return null;
        }
    }
}
