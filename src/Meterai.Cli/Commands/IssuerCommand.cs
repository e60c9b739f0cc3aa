using System.CommandLine;
using Meterai.Pdf.Signing;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai issuer init --data-dir DIR --root-out DIR2`: the development key set-up. Creates a development root CA,
/// an issuer and a timestamp authority; the node's data folder gets only what signing needs (issuer and TSA keys,
/// their password sealed with the key-encryption key, the certificates), and the root's private key goes to
/// --root-out, which must be outside the data folder and is meant to stay off the serving nodes. A server that
/// starts on a data folder without a set makes one itself and discards the root's key.
/// </summary>
internal static class IssuerCommand
{
    public static Command Create()
    {
        var command = new Command("issuer", "the issuer's signing keys");
        var dataDir = new Option<string>("--data-dir") { Description = "the node's data folder (keys/development is created in it)", DefaultValueFactory = _ => "data" };
        var rootOut = new Option<string>("--root-out") { Description = "folder for the root CA's key (root-ca.p12, root-ca.password, root-ca.pem): keep it off the servers", Required = true };
        var kek = new KeyEncryptionArguments(createDevelopmentKey: true);
        var init = new Command("init", "create a development root CA, issuer and TSA; the root's key goes to --root-out, not to the node");
        init.Options.Add(dataDir);
        init.Options.Add(rootOut);
        kek.AddTo(init);
        init.SetAction(async (parse, ct) =>
        {
            var sealer = await kek.ReadAsync(parse);
            if (sealer is null) return 2;
            var made = DevelopmentIssuer.Initialize(parse.GetValue(dataDir)!, sealer, parse.GetValue(rootOut)!);
            if (!made.IsOk)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {made.Error.Code}: {made.Error.Message}");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"node keys: {made.Value} (issuer and TSA; password sealed with key-encryption key {sealer.Current.Id})");
            await parse.InvocationConfiguration.Output.WriteLineAsync($"root CA key: {Path.GetFullPath(parse.GetValue(rootOut)!)} (keep it off the serving nodes)");
            return 0;
        });
        command.Subcommands.Add(init);
        return command;
    }
}
