using System.CommandLine;
using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Payments.Gateway;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai audit --db sqlite|postgres [--connection …] [--data-dir ./data] [--list N] [--provider-url URL
/// --provider-server-key-file FILE [--provider-all] [--provider-concurrency N]]`: checks every invariant on a live
/// database without writing to it, prints each verdict (with the first N order ids of each broken payments invariant),
/// and with --provider-url also asks the payment provider's status API whether each order agrees with its record
/// (<see cref="ProviderAudit"/>; read-only too: status GETs). Exits 0 when all hold, 1 when one breaks (named in the
/// output), 2 on bad input, a database that cannot be opened or a provider that did not answer for every order.
/// </summary>
internal static class AuditCommand
{
    /// <summary>Progress lines (on the error output) every this many orders asked.</summary>
    private const long ProgressEvery = 1_000;

    public static Command Create()
    {
        var db = new DatabaseArguments();
        var provider = new ProviderArguments();
        var list = new Option<int>("--list") { Description = "order ids named per broken invariant (0-1000)", DefaultValueFactory = _ => PaymentInvariant.DefaultListed };
        var command = new Command("audit", "check the ledger's, the serial registry's and the payments' invariants on a live database (read-only), and optionally each order against the payment provider")
        {
            list,
        };
        db.AddTo(command);
        provider.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = await db.ReadAsync(parse);
            if (options is null) return 2;
            var listed = parse.GetValue(list);
            var (gateway, badProvider) = provider.Read(parse);
            if (listed is < 0 or > 1_000) badProvider ??= "--list is a number from 0 to 1000";
            if (badProvider is not null)
            {
                await error.WriteLineAsync($"error: {badProvider}");
                return 2;
            }

            MeteraiDatabase database;
            try
            {
                // Migrate off: an audit never changes the database it looks at.
                database = await MeteraiDatabase.OpenAsync(options with { Migrate = false }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"error: cannot open the {options.Provider.Name()} database: {e.Message}");
                return 2;
            }

            await using (database)
            {
                var report = await database.AuditAsync(listed, ct);
                foreach (var check in report.Checks) await WriteAsync(output, check, listed);
                var broken = report.Broken.Select(b => b.Name).ToList();
                var complete = true;
                if (gateway is not null)
                {
                    var live = await CompareWithProviderAsync(database, gateway, parse.GetValue(provider.All), parse.GetValue(provider.Concurrency), listed, output, error, ct);
                    if (live.Disagreeing > 0) broken.Add(ProviderAudit.Invariant);
                    complete = live.Complete;
                }

                var total = report.Checks.Count + (gateway is null ? 0 : 1);
                await output.WriteLineAsync(broken.Count == 0
                    ? complete ? $"all {total} invariants hold" : $"{total - 1} invariants hold; the comparison with the provider is incomplete"
                    : $"{broken.Count} invariant(s) broken: {string.Join(", ", broken)}");
                return broken.Count > 0 ? 1 : complete ? 0 : 2;
            }
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, InvariantCheck check, int listed)
    {
        await output.WriteLineAsync($"{(check.Holds ? "ok    " : "BROKEN")}  {check.Name}: {check.Detail}");
        if (check.FirstBroken is not { Count: > 0 } ids) return;
        foreach (var id in ids) await output.WriteLineAsync($"        {id}");
        if (ids.Count >= listed) await output.WriteLineAsync($"        (the first {ids.Count} by id; --list N names more)");
    }

    private static async Task<ProviderAuditResult> CompareWithProviderAsync(MeteraiDatabase database, GatewayProviderOptions gateway, bool all, int concurrency, int listed,
        TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = Timeout.InfiniteTimeSpan };
        var audit = new ProviderAudit(database.Orders, new GatewayPaymentProvider(http, gateway));
        await error.WriteLineAsync($"asking the provider at {gateway.BaseAddress} about {(all ? "every order" : "every order whose status it may still change")}, {concurrency} at a time…");
        var reported = 0L;
        var result = await audit.RunAsync(new ProviderAuditOptions(all, concurrency, listed), p =>
        {
            if (p.Asked - reported < ProgressEvery) return;
            reported = p.Asked;
            error.WriteLine($"… {p.Asked} orders asked: {p.Disagreeing} disagree, {p.Unanswered} unanswered");
        }, ct);

        var name = ProviderAudit.Invariant;
        if (result.Disagreeing == 0 && result.Complete)
        {
            await output.WriteLineAsync($"ok      {name}: {result.Asked} orders asked, each agrees with the provider's record");
            return result;
        }

        if (result.Disagreeing > 0)
        {
            await output.WriteLineAsync($"BROKEN  {name}: {result.Disagreeing} of {result.Asked} orders disagree with the provider's record (a recheck asks the provider and applies its answer: meterai payments recheck --order ID)");
            foreach (var m in result.FirstDisagreeing) await output.WriteLineAsync($"        {m.Id}: {m.Why}");
            if (result.FirstDisagreeing.Count < result.Disagreeing) await output.WriteLineAsync($"        (the first {result.FirstDisagreeing.Count} of {result.Disagreeing} by id)");
        }

        if (!result.Complete)
        {
            var why = result.Stopped is { } stopped ? $"stopped: {stopped}" : $"the provider did not answer about {result.Unanswered} of {result.Asked} orders";
            await output.WriteLineAsync($"UNKNOWN {name}: {why}");
            foreach (var m in result.FirstUnanswered) await output.WriteLineAsync($"        {m.Id}: {m.Why}");
        }

        return result;
    }
}
