using System.Diagnostics;
using Meterai.Core.Ledger;
using Meterai.Storage;

namespace Meterai.Bench;

/// <summary>What <c>meterai bench ledger</c> runs.</summary>
/// <param name="Transfers">Timed transfers (after an untimed warm-up of a fifth as many, at most 30,000).</param>
/// <param name="Accounts">User quota accounts the transfers move between.</param>
/// <param name="Concurrency">Submitters, each waiting for its request's commit before sending the next.</param>
/// <param name="Hot">Every transfer debits the same issuer account (a sale surge), instead of random pairs of users.</param>
/// <param name="TransfersPerRequest">Transfers each submitter sends per request (1: one transfer per call, like a web request).</param>
public sealed record LedgerBenchOptions(DatabaseOptions Database, int Transfers, int Accounts, int Concurrency, bool Hot, int TransfersPerRequest);

/// <summary>
/// The ledger throughput benchmark: N submitters send single-phase transfers as fast as their commits come back;
/// prints transfers/s and the p50/p99 latency of a request from submit to durable commit. Accounts are created and
/// funded first (not timed); the audit runs after (not timed) to show the books still balance.
/// </summary>
public static class LedgerBench
{
    public static async Task<int> RunAsync(LedgerBenchOptions o, TextWriter output, CancellationToken ct)
    {
        await using var db = await MeteraiDatabase.OpenAsync(o.Database, ct).ConfigureAwait(false);
        var ledger = db.Ledger;
        var mode = o.Hot ? "hot issuer account" : $"uniform over {o.Accounts:N0} accounts";
        await output.WriteLineAsync($"ledger bench: {db.Provider.Name()}, {o.Transfers:N0} transfers, {mode}, {o.Concurrency} submitters, {o.TransfersPerRequest} transfer(s)/request, gather window {o.Database.BatchGatherWindow.TotalMilliseconds} ms").ConfigureAwait(false);
        await output.WriteLineAsync($"machine: {BenchInfo.Machine()}").ConfigureAwait(false);

        var (issuer, users) = await SetUpAsync(ledger, o, ct).ConfigureAwait(false);
        // Long enough for the JIT to reach its optimised tier (a server runs for hours; the figure is its steady state).
        var warmUp = Math.Min(30_000, Math.Max(o.Concurrency * o.TransfersPerRequest * 20, o.Transfers / 5));
        await RunPhaseAsync(ledger, o, issuer, users, warmUp, seed: 1, ct).ConfigureAwait(false);
        var (elapsed, latencies, failures) = await RunPhaseAsync(ledger, o, issuer, users, o.Transfers, seed: 2, ct).ConfigureAwait(false);

        latencies.Sort();
        var rate = o.Transfers / elapsed.TotalSeconds;
        await output.WriteLineAsync($"transfers/s: {rate:F0}").ConfigureAwait(false);
        await output.WriteLineAsync($"commit latency: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms ({latencies.Count:N0} requests, {elapsed.TotalSeconds:F2} s)").ConfigureAwait(false);
        if (failures > 0) await output.WriteLineAsync($"FAILED: {failures} transfers were not committed").ConfigureAwait(false);

        var audit = await db.AuditAsync(ct).ConfigureAwait(false);
        await output.WriteLineAsync(audit.AllHold ? "audit: every invariant holds" : "audit: BROKEN " + string.Join(", ", audit.Broken.Select(b => b.Name))).ConfigureAwait(false);
        return failures == 0 && audit.AllHold ? 0 : 1;
    }

    private static async Task<(UInt128 Issuer, UInt128[] Users)> SetUpAsync(ILedgerStore ledger, LedgerBenchOptions o, CancellationToken ct)
    {
        var issuer = new NewAccount(LedgerId.New(), OwnerKind.Issuer, LedgerId.New(), AccountCode.IssuerStock, AccountFlags.DebitsMustNotExceedCredits);
        var users = Enumerable.Range(0, o.Accounts)
            .Select(_ => new NewAccount(LedgerId.New(), OwnerKind.User, LedgerId.New(), AccountCode.UserQuota, AccountFlags.DebitsMustNotExceedCredits))
            .ToArray();
        foreach (var chunk in users.Prepend(issuer).Chunk(5_000)) Expect(await ledger.CreateAccountsAsync(chunk, ct).ConfigureAwait(false), r => r.IsCommitted());

        // Enough quota that no transfer of the run can overdraw: the benchmark measures commits, not refusals.
        var total = (long)(o.Transfers + 10_000) * 2;
        var perUser = o.Hot ? 0 : o.Transfers + 10_000L;
        Expect(await ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, issuer.Id, total + perUser * o.Accounts, TransferCode.Mint)], ct)
            .ConfigureAwait(false), r => r == TransferResult.Ok);
        if (perUser > 0)
        {
            foreach (var chunk in users.Chunk(8_000))
            {
                var deposits = chunk.Select(u => new Transfer(LedgerId.New(), issuer.Id, u.Id, perUser, TransferCode.Sale)).ToList();
                Expect(await ledger.CreateTransfersAsync(deposits, ct).ConfigureAwait(false), r => r == TransferResult.Ok);
            }
        }

        return (issuer.Id, users.Select(u => u.Id).ToArray());
    }

    private static async Task<(TimeSpan Elapsed, List<double> LatenciesMs, long Failures)> RunPhaseAsync(
        ILedgerStore ledger, LedgerBenchOptions o, UInt128 issuer, UInt128[] users, int count, int seed, CancellationToken ct)
    {
        var next = -1L;
        long failures = 0;
        var perSubmitter = new List<double>[o.Concurrency];
        var clock = Stopwatch.StartNew();
        var submitters = Enumerable.Range(0, o.Concurrency).Select(s => Task.Run(async () =>
        {
            var random = new Random(seed * 1_000 + s);
            var latencies = perSubmitter[s] = [];
            var request = new Transfer[o.TransfersPerRequest];
            while (true)
            {
                var first = Interlocked.Add(ref next, o.TransfersPerRequest) - o.TransfersPerRequest + 1;
                if (first >= count) return;
                var n = (int)Math.Min(o.TransfersPerRequest, count - first);
                for (var i = 0; i < n; i++)
                {
                    var credit = users[random.Next(users.Length)];
                    var debit = o.Hot ? issuer : users[random.Next(users.Length)];
                    while (debit == credit) debit = users[random.Next(users.Length)];
                    request[i] = new Transfer(LedgerId.New(), debit, credit, 1, o.Hot ? TransferCode.Sale : TransferCode.ChannelDeposit);
                }

                var started = Stopwatch.GetTimestamp();
                var results = await ledger.CreateTransfersAsync(n == request.Length ? request : request[..n], ct).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var failed = results.Count(r => r != TransferResult.Ok);
                if (failed > 0) Interlocked.Add(ref failures, failed);
            }
        }, ct)).ToArray();
        await Task.WhenAll(submitters).ConfigureAwait(false);
        clock.Stop();
        return (clock.Elapsed, perSubmitter.SelectMany(l => l).ToList(), failures);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Expect<T>(IReadOnlyList<T> results, Func<T, bool> ok)
    {
        var bad = results.FirstOrDefault(r => !ok(r));
        if (results.Any(r => !ok(r))) throw new InvalidOperationException($"benchmark set-up failed: {bad}");
    }
}
