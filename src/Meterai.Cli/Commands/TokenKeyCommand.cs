using System.CommandLine;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai token-key rotate [--db … --connection …]`: adds the next access-token signing key ("k2", "k3", …) to the
/// database. Every node loads it within Identity:KeyRefreshSeconds and signs with it once it is
/// Identity:KeyActivationSeconds old; tokens signed with older keys keep working until they expire. `list` shows
/// the key ids, creation times and the key-encryption key that seals each (never the secrets). Keys are sealed with
/// the key-encryption key (--kek-file, or as the server finds it).
/// </summary>
internal static class TokenKeyCommand
{
    public static Command Create()
    {
        var command = new Command("token-key", "access-token signing keys of the service");
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Rotate()
    {
        var db = new DatabaseArguments();
        var kek = new KeyEncryptionArguments(createDevelopmentKey: false);
        var command = new Command("rotate", "add the next signing key (sealed with the key-encryption key); the service starts signing with it after the activation delay");
        db.AddTo(command);
        kek.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var sealer = await kek.ReadAsync(parse);
            if (sealer is null) return 2;
            await using var database = await OpenAsync(db, parse, ct);
            if (database is null) return 2;
            // Listing opens every stored key first: a wrong key-encryption key fails here, before it seals a key no node can open.
            var keys = new SealedTokenSigningKeyStore(database.TokenSigningKeys, sealer);
            try
            {
                await keys.ListAsync(ct);
            }
            catch (InvalidOperationException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            var added = await TokenSigningKeyRotation.RotateAsync(keys, SystemClock.Instance, ct);
            if (!added.IsOk)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {added.Error.Code}: {added.Error.Message} (another rotation ran at the same time)");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"added token signing key {added.Value.KeyId} at {added.Value.CreatedAt:O}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var db = new DatabaseArguments();
        var command = new Command("list", "list the signing keys (ids and creation times only)");
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var database = await OpenAsync(db, parse, ct);
            if (database is null) return 2;
            foreach (var k in await database.TokenSigningKeys.ListAsync(ct))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{k.KeyId}  {k.CreatedAt:O}  {(Meterai.Core.Secrets.SealedSecret.KeyIdOf(k.Secret) is { } kekId ? "sealed with kek " + kekId : "NOT SEALED (start a server or run a rotation to seal it)")}");
            }

            return 0;
        });
        return command;
    }

    private static Task<MeteraiDatabase?> OpenAsync(DatabaseArguments db, ParseResult parse, CancellationToken ct) => db.OpenAsync(parse, ct);
}
