using System.CommandLine;
using Meterai.Core.Identity;
using Meterai.Storage;
using Meterai.Storage.Secrets;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai kek create --file PATH`: a new key-encryption key file (0600), or a new key at the end of an existing one
/// (rotation: the last key seals, every key in the file opens). `meterai kek reseal [--db …] [--data-dir …]`: seals
/// every token signing key and the data folder's development issuer password again with the newest key, after which
/// older keys can be removed from the file. Roll a new file out
/// to every node (and restart them) before resealing: a node without the new key cannot open what it seals.
/// </summary>
internal static class KekCommand
{
    public static Command Create()
    {
        var command = new Command("kek", "key-encryption keys: what seals the token signing keys and the issuer's key password at rest");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(Reseal());
        return command;
    }

    private static Command CreateKey()
    {
        var file = new Option<string>("--file") { Description = "the key file (created 0600; a new key is appended when it exists)", Required = true };
        var command = new Command("create", "create a key-encryption key file, or add a new key to one (rotation)");
        command.Options.Add(file);
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var key = KeyEncryptionKeyFile.Append(path);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"key-encryption key {key.Id} is the newest in {path}; give every node this file (Secrets:KeyEncryptionKeyFile)");
            return 0;
        });
        return command;
    }

    private static Command Reseal()
    {
        var db = new DatabaseArguments();
        var kek = new KeyEncryptionArguments(createDevelopmentKey: false);
        var command = new Command("reseal", "seal every token signing key again with the newest key-encryption key");
        db.AddTo(command);
        kek.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var sealer = await kek.ReadAsync(parse);
            var options = await db.ReadAsync(parse);
            if (sealer is null || options is null) return 2;
            await using var database = await MeteraiDatabase.OpenAsync(options, ct);
            var count = await new SealedTokenSigningKeyStore(database.TokenSigningKeys, sealer).ResealAsync(ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"resealed {count} token signing keys with key-encryption key {sealer.Current.Id}");
            if (Meterai.Pdf.Signing.DevelopmentIssuer.Reseal(options.DataDirectory, sealer))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"resealed the development issuer's key password under {options.DataDirectory}");
            }
            return 0;
        });
        return command;
    }
}
