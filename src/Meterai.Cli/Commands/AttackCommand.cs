using System.CommandLine;
using Meterai.Cli.Attacks;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai attack --url http://127.0.0.1:5080 --operator-email … --operator-password … [--codes-file data/dev-outbox.jsonl]
/// [--data-dir ./data] [--payment-sandbox http://127.0.0.1:5090] [--only ID|ITEM …] [--set key=value …] [--list]`: runs the threat model's attack set (docs/threat-model.md) against a
/// running server and prints one line per attack. Exit 0 when every attack was held, 1 when any breached, 2 on bad
/// arguments. The operator must be an issuer admin (the runner sets up channels and quota as the issuer would).
/// </summary>
internal static class AttackCommand
{
    public static Command Create()
    {
        // Addresses are strings, checked below: System.CommandLine has no parser for Uri (--url and --payment-sandbox used to
        // fail with an exception).
        var url = new Option<string>("--url") { Description = "the server's base address", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var email = new Option<string?>("--operator-email") { Description = "an issuer admin's e-mail (meterai operator add --role issuer_admin)" };
        var password = new Option<string?>("--operator-password") { Description = "that operator's password (or METERAI_ATTACK_OPERATOR_PASSWORD)" };
        var codes = new Option<string?>("--codes-file") { Description = "the development sender's outbox (one-time codes), for attacks that need applicants" };
        var dataDir = new Option<string?>("--data-dir") { Description = "the node's data folder, when the runner is on the node (the data-folder reader's attacks)" };
        var sandbox = new Option<string?>("--payment-sandbox") { Description = "the sandbox provider the server charges (meterai paysim), for attacks that need a genuinely signed notification" };
        var only = new Option<string[]>("--only") { Description = "attack ids or threat-model items to run (default: all)", AllowMultipleArgumentsPerToken = true };
        var list = new Option<bool>("--list") { Description = "list the attacks and exit" };
        var set = new Option<string[]>("--set") { Description = "an attack's knob, key=value (e.g. slow-uploads=140; each attack documents its own)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("attack", "run the threat model's attack set against a running server") { url, email, password, codes, dataDir, sandbox, only, list, set };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var (selected, unknown) = AttackCatalog.Select(parse.GetValue(only) ?? []);
            if (unknown.Count > 0)
            {
                await error.WriteLineAsync($"error: no attack or item named {string.Join(", ", unknown)} (meterai attack --list)");
                return 2;
            }

            if (parse.GetValue(list))
            {
                foreach (var a in selected) await output.WriteLineAsync($"{a.Item,-6} {a.Id,-44} {a.Description}");
                return 0;
            }

            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync("error: --url is an absolute http(s) address (such as http://127.0.0.1:5080)");
                return 2;
            }

            Uri? sandboxAddress = null;
            if (parse.GetValue(sandbox) is { } sandboxText
                && (!Uri.TryCreate(sandboxText, UriKind.Absolute, out sandboxAddress) || sandboxAddress.Scheme is not ("http" or "https")))
            {
                await error.WriteLineAsync("error: --payment-sandbox is an absolute http(s) address (such as http://127.0.0.1:5090)");
                return 2;
            }

            var operatorEmail = parse.GetValue(email);
            var operatorPassword = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("METERAI_ATTACK_OPERATOR_PASSWORD");
            if (string.IsNullOrEmpty(operatorEmail) || string.IsNullOrEmpty(operatorPassword))
            {
                await error.WriteLineAsync("error: --operator-email and --operator-password (or METERAI_ATTACK_OPERATOR_PASSWORD) name an issuer admin the runner sets up with");
                return 2;
            }

            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(set) ?? [])
            {
                if (pair.Split('=', 2) is not [{ Length: > 0 } key, var value])
                {
                    await error.WriteLineAsync($"error: --set {pair}: expected key=value");
                    return 2;
                }

                settings[key] = value;
            }

            var codesFile = parse.GetValue(codes);
            using var target = new AttackTarget(baseAddress, new OperatorCredentials(operatorEmail, operatorPassword),
                codesFile is null ? null : new OutboxFileCodes(codesFile), parse.GetValue(dataDir)) { PaymentSandbox = sandboxAddress, Settings = settings };
            var results = await AttackRun.RunAsync(target, selected, r => output.WriteLine(Line(r)), ct);
            var breached = results.Count(r => r.Outcome.Verdict == AttackVerdict.Breached);
            var skipped = results.Count(r => r.Outcome.Verdict == AttackVerdict.Skipped);
            await output.WriteLineAsync($"{results.Count} attacks: {results.Count - breached - skipped} held, {breached} breached, {skipped} skipped");
            return breached == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Line(AttackResult r) =>
        $"{r.Outcome.Verdict.ToString().ToUpperInvariant(),-8} {r.Attack.Item,-6} {r.Attack.Id,-44} {r.Took.TotalMilliseconds,7:F0} ms  {r.Outcome.Evidence}";
}
