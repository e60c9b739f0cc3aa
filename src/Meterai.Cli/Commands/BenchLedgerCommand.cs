using System.CommandLine;
using Meterai.Bench;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench ledger --db sqlite|postgres --transfers N --accounts N --concurrency N [--hot]`: transfers/s and
/// p50/p99 commit latency. Without --connection/--data-dir, SQLite runs in a fresh temporary folder.
/// </summary>
internal static class BenchLedgerCommand
{
    public static Command Create()
    {
        var db = new DatabaseArguments();
        var transfers = new Option<int>("--transfers") { Description = "timed transfers", DefaultValueFactory = _ => 100_000 };
        var accounts = new Option<int>("--accounts") { Description = "user accounts", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "concurrent submitters", DefaultValueFactory = _ => 32 };
        var hot = new Option<bool>("--hot") { Description = "every transfer debits one issuer account" };
        var perRequest = new Option<int>("--per-request") { Description = "transfers per request", DefaultValueFactory = _ => 1 };
        var gather = new Option<double?>("--gather-window-ms") { Description = "longest the ledger writer waits to fill a batch (default: the store's)" };
        var command = new Command("ledger", "quota ledger throughput and commit latency");
        db.AddTo(command);
        command.Options.Add(transfers);
        command.Options.Add(accounts);
        command.Options.Add(concurrency);
        command.Options.Add(hot);
        command.Options.Add(perRequest);
        command.Options.Add(gather);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = await db.ReadAsync(parse);
            if (options is null) return 2;

            int n = parse.GetValue(transfers), a = parse.GetValue(accounts), c = parse.GetValue(concurrency), k = parse.GetValue(perRequest);
            if (n < 1 || a < 2 || c < 1 || k < 1)
            {
                await error.WriteLineAsync("error: --transfers, --concurrency and --per-request must be at least 1, --accounts at least 2");
                return 2;
            }

            if (parse.GetValue(gather) is { } ms)
            {
                if (ms < 0)
                {
                    await error.WriteLineAsync("error: --gather-window-ms must not be negative");
                    return 2;
                }

                options = options with { BatchGatherWindow = TimeSpan.FromMilliseconds(ms) };
            }

            string? temp = null;
            if (options.Provider == Storage.DatabaseProvider.Sqlite && parse.GetResult(db.DataDirectory) is null or { Implicit: true } && options.ConnectionString is null)
            {
                temp = Directory.CreateTempSubdirectory("meterai-bench-").FullName;
                options = options with { DataDirectory = temp };
            }

            try
            {
                return await LedgerBench.RunAsync(new LedgerBenchOptions(options, n, a, c, parse.GetValue(hot), k), output, ct);
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
        });
        return command;
    }
}
