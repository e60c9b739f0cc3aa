using System.Diagnostics;
using System.Globalization;
using Meterai.Core.Identity;
using Meterai.PaySim;
using Meterai.PaySim.Client;
using Meterai.PaySim.Faults;
using Meterai.Storage;

namespace Meterai.Bench.Payments;

/// <summary>What <c>meterai bench payments</c> runs.</summary>
/// <param name="ServerAssembly">Meterai.Server.dll, run as a child process that the bench kills and restarts.</param>
/// <param name="Sandbox">An external sandbox (`meterai paysim`) to use; null: one in this process.</param>
/// <param name="WorkDirectory">Folders of the server (and of SQLite and the in-process sandbox).</param>
public sealed record PaymentsBenchOptions(
    DatabaseOptions Database,
    string ServerAssembly,
    Uri? Sandbox,
    string ServerKey,
    PaymentsChaosOptions Chaos,
    FaultSettings Faults,
    string WorkDirectory);

/// <summary>
/// The payments chaos scenario at bench size: the server as a child process on the given database, a sandbox with the
/// issue's faults, thousands of buyers (sales channels created through the admin API), several SIGKILL/restart
/// cycles, then reconciliation; prints the counts (<see cref="PaymentsChaosReport"/>) and exits 0 only when every
/// settled order was credited exactly once and nothing else was.
/// </summary>
public static class PaymentsBench
{
    public static async Task<int> RunAsync(PaymentsBenchOptions o, TextWriter output, CancellationToken ct)
    {
        var chaos = o.Chaos;
        var f = o.Faults;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"payments chaos bench: {o.Database.Provider.Name()}, {chaos.Buyers:N0} buyers arriving over {chaos.ArrivalWindow.TotalSeconds:0} s, {chaos.Concurrency} at once, {chaos.Kills} SIGKILL/restart cycles every {chaos.KillEvery.TotalSeconds:0} s, order expiry {chaos.OrderExpiry.TotalSeconds:0} s"))
            .ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sandbox faults: {f.Duplicate:P0} duplicated, {f.Reorder:P0} reordered, {f.Drop:P0} dropped, {f.Delay:P0} delayed {f.DelayFor.TotalSeconds:0} s (past the expiry); buyers: {chaos.NeverPay:P0} never pay, {chaos.PayTwice:P0} pay twice, {chaos.PayAfterExpiry:P0} pay after expiry"))
            .ConfigureAwait(false);
        await output.WriteLineAsync($"machine: {BenchInfo.Machine()}").ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        PaySimServer? local = null;
        var sandboxUrl = o.Sandbox;
        if (sandboxUrl is null)
        {
            local = await PaySimServer.StartAsync(new PaySimOptions
            {
                Url = "http://127.0.0.1:0",
                DataDirectory = Path.Combine(o.WorkDirectory, "paysim"),
                ServerKey = o.ServerKey,
                Seed = chaos.Seed,
                Faults = f,
                RetryBase = TimeSpan.FromMilliseconds(500),
                RetryCap = TimeSpan.FromSeconds(5),
                MaxConcurrentDeliveries = 64,
            }, l => { }, ct).ConfigureAwait(false);
            sandboxUrl = local.BaseAddress;
        }

        try
        {
            using var simHttp = new HttpClient { BaseAddress = sandboxUrl, Timeout = TimeSpan.FromMinutes(2) };
            var sandbox = new PaySimClient(simHttp);
            if (local is null) await sandbox.SetFaultsAsync(FaultPatch.From(f), ct).ConfigureAwait(false);

            using var server = new ServerNode(o.ServerAssembly, Environment(o, sandboxUrl), Path.Combine(o.WorkDirectory, "server"));
            await server.StartAgainAsync(ct).ConfigureAwait(false);
            await sandbox.SetNotifyUrlAsync(new Uri(server.BaseAddress, "api/v1/payments/notifications"), ct).ConfigureAwait(false);
            await using var database = await MeteraiDatabase.OpenAsync(o.Database with { Migrate = false }, ct).ConfigureAwait(false);
            await MintAsync(database, chaos.Buyers * (long)chaos.MaxQuantity, ct).ConfigureAwait(false);

            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            var admin = await ChannelBuyers.OperatorTokenAsync(database, http, OperatorRole.IssuerAdmin, ct).ConfigureAwait(false);
            var provisioning = Stopwatch.StartNew();
            var buyers = await new ChannelBuyers(admin, Guid.NewGuid().ToString("N")[..8]).ProvisionAsync(http, chaos.Buyers, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"set-up: {buyers.Count:N0} channels with API keys created through the admin API in {provisioning.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);

            var report = await new PaymentsChaos(chaos, server, sandbox, database, output).RunAsync(buyers, ct).ConfigureAwait(false);
            report.Print(output);
            if (!report.Passed) await output.WriteLineAsync("server log (last lines):\n" + server.Tail).ConfigureAwait(false);
            await output.WriteLineAsync($"wall time including set-up: {clock.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            return report.Passed ? 0 : 1;
        }
        finally
        {
            if (local is not null) await local.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> Environment(PaymentsBenchOptions o, Uri sandbox)
    {
        var c = o.Chaos;
        string S(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>
        {
            ["METERAI_Database__Provider"] = o.Database.Provider.Name(),
            ["METERAI_Database__DataDirectory"] = o.Database.Provider == DatabaseProvider.Sqlite ? Path.GetFullPath(o.Database.DataDirectory) : Path.Combine(o.WorkDirectory, "data"),
            ["METERAI_Logging__LogLevel__Default"] = "Warning",
            ["METERAI_Payments__Provider__BaseUrl"] = sandbox.ToString(),
            ["METERAI_Payments__Provider__ServerKey"] = o.ServerKey,
            ["METERAI_Payments__Provider__Name"] = "paysim",
            ["METERAI_Payments__OrderExpirySeconds"] = S(c.OrderExpiry),
            ["METERAI_Payments__Reconciliation__IntervalSeconds"] = "1",
            ["METERAI_Payments__Reconciliation__PendingCheckAfterSeconds"] = "10",
            ["METERAI_Payments__Reconciliation__BackoffBaseSeconds"] = "2",
            ["METERAI_Payments__Reconciliation__BackoffCapSeconds"] = "10",
            ["METERAI_Payments__Reconciliation__ExpiryGraceSeconds"] = "5",
            ["METERAI_Payments__Reconciliation__ClaimLeaseSeconds"] = "15",
            ["METERAI_Payments__Reconciliation__SettlementIntervalSeconds"] = "15",
        };
        if (o.Database.ConnectionString is { } cs) env["METERAI_Database__ConnectionString"] = cs;
        return env;
    }

    /// <summary>Stock for every buyer's largest order (set-up, not part of the scenario: the issuer minting).</summary>
    private static async Task MintAsync(MeteraiDatabase database, long stamps, CancellationToken ct)
    {
        var stock = Core.Distribution.QuotaAccounts.IssuerStock;
        await database.Ledger.CreateAccountsAsync([stock], ct).ConfigureAwait(false);
        var minted = await database.Ledger.CreateTransfersAsync(
            [new Core.Ledger.Transfer(Core.Ledger.LedgerId.New(), Core.Ledger.SystemAccounts.Minted.Id, stock.Id, stamps, Core.Ledger.TransferCode.Mint)], ct).ConfigureAwait(false);
        if (minted[0] != Core.Ledger.TransferResult.Ok) throw new InvalidOperationException($"minting the bench's stock: {minted[0]}");
    }
}
