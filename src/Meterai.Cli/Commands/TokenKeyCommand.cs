using System.CommandLine;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai token-key rotate [--db … --connection …]`: adds the next access-token signing key ("k2", "k3", …) to the
/// database. Every node loads it within Identity:KeyRefreshSeconds and signs with it once it is
/// Identity:KeyActivationSeconds old; tokens signed with older keys keep working until they expire. `list` shows
/// the key ids and creation times (never the secrets).
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
        var command = new Command("rotate", "add the next signing key; the service starts signing with it after the activation delay");
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var database = await OpenAsync(db, parse, ct);
            if (database is null) return 2;
            var added = await TokenSigningKeyRotation.RotateAsync(database.TokenSigningKeys, SystemClock.Instance, ct);
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
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{k.KeyId}  {k.CreatedAt:O}");
            }

            return 0;
        });
        return command;
    }

    private static async Task<MeteraiDatabase?> OpenAsync(DatabaseArguments db, ParseResult parse, CancellationToken ct)
    {
        var options = await db.ReadAsync(parse);
        if (options is null) return null;
        try
        {
            return await MeteraiDatabase.OpenAsync(options, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: cannot open the {options.Provider.Name()} database: {e.Message}");
            return null;
        }
    }
}
