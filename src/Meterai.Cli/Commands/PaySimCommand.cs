using System.CommandLine;
using System.Globalization;
using Meterai.PaySim;
using Meterai.PaySim.Faults;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai paysim`: runs the sandbox payment provider as its own process, with its own SQLite store, until Ctrl+C
/// or SIGTERM. Every fault is a flag here and can be changed at run time with POST /sim/faults (docs/payments.md).
/// </summary>
internal static class PaySimCommand
{
    public static Command Create()
    {
        var command = new Command("paysim",
            "run the sandbox payment provider (QRIS / virtual account gateway with seeded faults) as its own process; see docs/payments.md");

        var port = Opt("--port", "TCP port to listen on (0 picks a free one)", 5090);
        var bind = Opt("--bind", "address to listen on (loopback by default)", "127.0.0.1");
        var data = Opt("--data", "the sandbox's own data folder (paysim.db lives here and survives restarts)", Path.Combine("data", "paysim"));
        var serverKey = Opt("--server-key", "the merchant's server key: Basic-auth user for the API, secret of notification signatures", PaySimOptions.DefaultServerKey);
        var merchantId = Opt("--merchant-id", "the merchant's id", PaySimOptions.DefaultMerchantId);
        var notifyUrl = new Option<string?>("--notify-url") { Description = "where notifications are POSTed (kept from the last run when omitted; PUT /sim/merchant changes it)" };
        var seed = Opt("--seed", "seed of every fault decision, retry jitter and transaction id: the same seed and orders replay a run", 1L);
        var duplicate = Opt("--duplicate", "probability a notification is sent 2 or more times", 0.0);
        var maxCopies = Opt("--max-copies", "most copies of a duplicated notification", 3);
        var reorder = Opt("--reorder", "probability a notification is held until a later one of the same order was delivered", 0.0);
        var reorderHold = Opt("--reorder-hold-seconds", "longest hold of a reordered notification", 30.0);
        var drop = Opt("--drop", "probability a notification is never sent (only the status API and settlement report tell)", 0.0);
        var delay = Opt("--delay", "probability a notification is held before its first attempt", 0.0);
        var delaySeconds = Opt("--delay-seconds", "how long a delayed notification is held (e.g. past the order's expiry)", 30.0);
        var slow = Opt("--slow", "probability an API answer (/v2, /pay) is held", 0.0);
        var slowSeconds = Opt("--slow-seconds", "how long a slow answer is held", 3.0);
        var outageEvery = Opt("--outage-every", "seconds between provider outages (0: none)", 0.0);
        var outageFor = Opt("--outage-for", "seconds each outage lasts", 10.0);
        var outageMode = Opt("--outage-mode", "what an outage looks like: unavailable (HTTP 503) or reset (connections dropped)", "unavailable");
        var notifyTimeout = Opt("--notify-timeout", "seconds a merchant has to answer a notification before it is retried", 5.0);
        var retryBase = Opt("--retry-base", "seconds before the first retry of a failed notification (doubles each time, with jitter)", 1.0);
        var retryCap = Opt("--retry-cap", "most seconds between retries (notifications are retried until a 2xx)", 300.0);
        var sweep = Opt("--expiry-sweep", "seconds between sweeps that expire unpaid transactions", 1.0);

        Option[] all = [port, bind, data, serverKey, merchantId, notifyUrl, seed, duplicate, maxCopies, reorder, reorderHold, drop, delay, delaySeconds,
            slow, slowSeconds, outageEvery, outageFor, outageMode, notifyTimeout, retryBase, retryCap, sweep];
        foreach (var o in all) command.Options.Add(o);

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!FaultPatch.TryParseOutageMode(parse.GetValue(outageMode)!, out var mode))
            {
                return Fail("--outage-mode must be unavailable or reset");
            }

            var options = new PaySimOptions
            {
                Url = string.Create(CultureInfo.InvariantCulture, $"http://{parse.GetValue(bind)}:{parse.GetValue(port)}"),
                DataDirectory = Path.GetFullPath(parse.GetValue(data)!),
                ServerKey = parse.GetValue(serverKey)!,
                MerchantId = parse.GetValue(merchantId)!,
                NotifyUrl = parse.GetValue(notifyUrl),
                Seed = parse.GetValue(seed),
                NotificationTimeout = Seconds(parse.GetValue(notifyTimeout)),
                RetryBase = Seconds(parse.GetValue(retryBase)),
                RetryCap = Seconds(parse.GetValue(retryCap)),
                ExpirySweepInterval = Seconds(Math.Max(0.01, parse.GetValue(sweep))),
                Faults = new FaultSettings
                {
                    Duplicate = parse.GetValue(duplicate),
                    MaxCopies = parse.GetValue(maxCopies),
                    Reorder = parse.GetValue(reorder),
                    ReorderHoldMax = Seconds(parse.GetValue(reorderHold)),
                    Drop = parse.GetValue(drop),
                    Delay = parse.GetValue(delay),
                    DelayFor = Seconds(parse.GetValue(delaySeconds)),
                    Slow = parse.GetValue(slow),
                    SlowFor = Seconds(parse.GetValue(slowSeconds)),
                    OutageEvery = Seconds(parse.GetValue(outageEvery)),
                    OutageFor = Seconds(parse.GetValue(outageFor)),
                    OutageMode = mode,
                },
            };
            if (options.Validate() is { } invalid) return Fail(invalid);

            await using var server = await PaySimServer.StartAsync(options, cancellationToken: cancellationToken);
            var url = server.BaseAddress.ToString().TrimEnd('/');
            Console.WriteLine($"PaySim listening on {url}");
            Console.WriteLine($"  data {options.DataDirectory}, seed {options.Seed}, merchant {options.MerchantId}, notify {options.NotifyUrl ?? "(stored URL)"}");
            Console.Out.Flush();
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromDays(2); // out of range: Validate() refuses it

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: invalid_arguments: {message}");
        return 2;
    }
}
