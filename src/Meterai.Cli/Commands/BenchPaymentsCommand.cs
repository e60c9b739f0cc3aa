using System.CommandLine;
using Meterai.Bench.Payments;
using Meterai.PaySim;
using Meterai.PaySim.Faults;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench payments --server path/to/Meterai.Server.dll --buyers 10000 --db postgres --connection …`: the payments
/// chaos scenario (issue 5) at bench size; prints orders, settled by provider, credited, credited twice, credited
/// without payment, paid but not credited after reconciliation, the audit and the time taken. Exit 0 only when every
/// settled order was credited exactly once and nothing else was. `bench/payments-chaos.sh` runs it on a throwaway
/// PostgreSQL with the sandbox as its own process.
/// </summary>
internal static class BenchPaymentsCommand
{
    public static Command Create()
    {
        var db = new DatabaseArguments();
        var server = new Option<string>("--server") { Description = "Meterai.Server.dll to run as a child process (killed and restarted by the bench)", Required = true };
        var sandbox = new Option<string?>("--sandbox") { Description = "base URL of a running `meterai paysim` (default: a sandbox in this process)" };
        var serverKey = new Option<string>("--server-key") { Description = "the sandbox's server key", DefaultValueFactory = _ => PaySimOptions.DefaultServerKey };
        var buyers = new Option<int>("--buyers") { Description = "buyers, one order each", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "buyers in flight at once", DefaultValueFactory = _ => 64 };
        var kills = new Option<int>("--kills") { Description = "SIGKILL/restart cycles of the server", DefaultValueFactory = _ => 5 };
        var killEvery = new Option<double>("--kill-every") { Description = "seconds between a restart and the next kill", DefaultValueFactory = _ => 15 };
        var arrival = new Option<double>("--arrival-seconds") { Description = "buyers arrive evenly over this many seconds", DefaultValueFactory = _ => 120 };
        var expiry = new Option<double>("--expiry-seconds") { Description = "order expiry (delayed notifications arrive after it)", DefaultValueFactory = _ => 60 };
        var converge = new Option<double>("--converge-seconds") { Description = "longest wait for reconciliation after the buyers are done", DefaultValueFactory = _ => 900 };
        var duplicate = new Option<double>("--duplicate") { DefaultValueFactory = _ => 0.10 };
        var reorder = new Option<double>("--reorder") { DefaultValueFactory = _ => 0.10 };
        var drop = new Option<double>("--drop") { DefaultValueFactory = _ => 0.05 };
        var delay = new Option<double>("--delay") { Description = "share of notifications delayed past the order's expiry", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var command = new Command("payments", "payments chaos: buyers pay through a misbehaving sandbox while the server is killed; paid ⇒ credited exactly once");
        db.AddTo(command);
        foreach (var o in new Option[] { server, sandbox, serverKey, buyers, concurrency, kills, killEvery, arrival, expiry, converge, duplicate, reorder, drop, delay, seed })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = await db.ReadAsync(parse);
            if (options is null) return 2;
            if (parse.GetValue(buyers) < 1 || parse.GetValue(concurrency) < 1 || parse.GetValue(kills) < 0 || parse.GetValue(expiry) < 5)
            {
                await error.WriteLineAsync("error: --buyers and --concurrency must be at least 1, --kills at least 0, --expiry-seconds at least 5");
                return 2;
            }

            Uri? sandboxUrl = null;
            if (parse.GetValue(sandbox) is { } s && !Uri.TryCreate(s.EndsWith('/') ? s : s + "/", UriKind.Absolute, out sandboxUrl))
            {
                await error.WriteLineAsync($"error: --sandbox {s} is not an absolute URL");
                return 2;
            }

            var work = Directory.CreateTempSubdirectory("meterai-bench-payments-").FullName;
            if (options.Provider == Storage.DatabaseProvider.Sqlite && parse.GetResult(db.DataDirectory) is null or { Implicit: true } && options.ConnectionString is null)
            {
                options = options with { DataDirectory = Path.Combine(work, "data") };
            }

            var orderExpiry = TimeSpan.FromSeconds(parse.GetValue(expiry));
            var chaos = new PaymentsChaosOptions(parse.GetValue(buyers), parse.GetValue(concurrency), parse.GetValue(kills), TimeSpan.FromSeconds(parse.GetValue(killEvery)),
                orderExpiry, TimeSpan.FromSeconds(parse.GetValue(converge)), TimeSpan.FromSeconds(parse.GetValue(arrival))) { Seed = parse.GetValue(seed) };
            var faults = new FaultSettings
            {
                Duplicate = parse.GetValue(duplicate),
                Reorder = parse.GetValue(reorder),
                ReorderHoldMax = TimeSpan.FromSeconds(10),
                Drop = parse.GetValue(drop),
                Delay = parse.GetValue(delay),
                DelayFor = orderExpiry + TimeSpan.FromSeconds(5),
            };
            if (faults.Validate() is { } bad)
            {
                await error.WriteLineAsync($"error: {bad}");
                return 2;
            }

            try
            {
                return await PaymentsBench.RunAsync(new PaymentsBenchOptions(options, parse.GetValue(server)!, sandboxUrl, parse.GetValue(serverKey)!, chaos, faults, work),
                    parse.InvocationConfiguration.Output, ct);
            }
            finally
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        });
        return command;
    }
}
