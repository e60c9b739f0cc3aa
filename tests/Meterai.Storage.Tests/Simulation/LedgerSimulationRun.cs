using System.Diagnostics;
using Meterai.Core.Ledger;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Simulation;

/// <summary>
/// One seeded simulation: random operations against two store instances ("nodes") on one database, checked against
/// <see cref="LedgerModel"/>. Phases alternate:
/// <list type="bullet">
/// <item>sequential: one request at a time on either node; every result must equal the model's prediction;</item>
/// <item>concurrent: many requests at once on both nodes; each result must agree with what was stored, and the
/// committed transfers, folded into the model, must reproduce the store's balances exactly;</item>
/// <item>crash: many requests at once, then a node is disposed mid-batch and reopened; every transfer a caller was
/// told committed is there, nothing is there twice, linked chains are whole or absent;</item>
/// <item>expiry: the clock jumps and the sweeper runs (on one node, predicted exactly; or on both at once).</item>
/// </list>
/// The ledger audit runs regularly and at the end; the store's transfers must equal the model's, one by one.
/// </summary>
internal sealed class LedgerSimulationRun(DatabaseBackend backend, int seed, int operations, Action<string> log)
{
    private readonly Random _random = new(seed);
    private readonly ManualClock _clock = new();
    private readonly LedgerModel _model = new();
    private readonly MeteraiDatabase?[] _nodes = new MeteraiDatabase?[2];
    private int _operations;
    private int _phases;
    private SimulationWorld _world = null!;
    private OperationGenerator _generator = null!;
    private readonly Dictionary<string, int> _counts = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ILedgerStore Node(int i) => _nodes[i]!.Ledger;

    public async Task RunAsync()
    {
        var started = Stopwatch.StartNew();
        for (var i = 0; i < _nodes.Length; i++) _nodes[i] = await backend.OpenAsync(_clock);
        try
        {
            await SetUpAsync();
            while (_operations < operations)
            {
                var phase = _random.Next(100);
                if (phase < 45) await SequentialAsync();
                else if (phase < 80) await ConcurrentAsync();
                else if (phase < 90) await CrashAsync();
                else if (phase < 97) await ExpireAsync();
                else await CloseOrCreateAsync();
                if (++_phases % 25 == 0) await AuditAsync();
            }

            await AuditAsync();
            await CompareEverythingAsync();
            log($"{_operations:N0} operations in {_phases:N0} phases, {started.Elapsed.TotalSeconds:F1} s; results: " +
                string.Join(", ", _counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")));
        }
        finally
        {
            foreach (var n in _nodes)
            {
                if (n is not null) await n.DisposeAsync();
            }
        }
    }

    private async Task SetUpAsync()
    {
        NewAccount Quota(OwnerKind kind, int code) => new(LedgerId.New(), kind, LedgerId.New(), code, AccountFlags.DebitsMustNotExceedCredits);
        var issuer = Quota(OwnerKind.Issuer, AccountCode.IssuerStock);
        var channels = Enumerable.Range(0, 4).Select(_ => Quota(OwnerKind.Channel, AccountCode.ChannelDeposit)).ToList();
        var users = Enumerable.Range(0, 40).Select(_ => Quota(OwnerKind.User, AccountCode.UserQuota)).ToList();
        var closable = Enumerable.Range(0, 4).Select(_ => Quota(OwnerKind.User, AccountCode.UserQuota)).ToList();
        var plain = new NewAccount(LedgerId.New(), OwnerKind.System, 0, AccountCode.Refunded, AccountFlags.None);
        var limited = new NewAccount(LedgerId.New(), OwnerKind.System, 0, AccountCode.Refunded, AccountFlags.CreditsMustNotExceedDebits);
        List<NewAccount> all = [.. SystemAccounts.All, issuer, .. channels, .. users, .. closable, plain, limited];
        Expect("create accounts", _model.CreateAccounts(all, _clock.UtcNow).Select(r => r == CreateAccountResult.Exists ? CreateAccountResult.Ok : r),
            (await Node(0).CreateAccountsAsync(all, Ct)).Select(r => r == CreateAccountResult.Exists ? CreateAccountResult.Ok : r));
        // The system accounts already existed in the store (created on open), not in the model: load their balances.
        foreach (var a in await Node(0).LookupAccountsAsync(SystemAccounts.All.Select(s => s.Id).ToList(), Ct)) _model.Accounts[a.Id] = a;
        _world = new SimulationWorld(issuer.Id, channels.Select(c => c.Id).ToList(), users.Select(u => u.Id).ToList(),
            closable.Select(c => c.Id).ToList(), plain.Id, limited.Id);
        _generator = new OperationGenerator(_random, _world, _model);
    }

    /// <summary>One request at a time; the model predicts every result.</summary>
    private async Task SequentialAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            var request = _generator.NextRequest(12);
            var expected = _model.Apply(request, _clock.UtcNow);
            var actual = await Node(_random.Next(2)).CreateTransfersAsync(request, Ct);
            Expect("sequential request", expected, actual);
            Count(actual);
            _operations += request.Count;
        }
    }

    /// <summary>Many requests at once on both nodes; outcomes depend on the database's commit order.</summary>
    private async Task ConcurrentAsync()
    {
        var requests = Enumerable.Range(0, 16 + _random.Next(48)).Select(_ => _generator.NextRequest(8)).ToList();
        var stores = requests.Select(_ => Node(_random.Next(2))).ToList();
        var results = await Task.WhenAll(requests.Select((r, i) => Task.Run(() => stores[i].CreateTransfersAsync(r, Ct), Ct)));
        await ReconcileAsync(requests, results.Select(r => (IReadOnlyList<TransferResult>?)r).ToList(), "concurrent");
        _operations += requests.Sum(r => r.Count);
    }

    /// <summary>Requests in flight on node 0 when it is disposed (node 0 is then reopened), some of them abandoned by their callers.</summary>
    private async Task CrashAsync()
    {
        var requests = Enumerable.Range(0, 8 + _random.Next(40)).Select(_ => _generator.NextRequest(8)).ToList();
        var stores = requests.Select(_ => Node(_random.Next(3) == 0 ? 1 : 0)).ToList();
        // Some callers also give up waiting (a client timeout): their requests usually commit unheard.
        var givingUp = requests.Select(_ => _random.Next(3) == 0 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(_random.Next(1, 4))) : null).ToList();
        var tasks = requests.Select((r, i) => Task.Run(() => stores[i].CreateTransfersAsync(r, givingUp[i]?.Token ?? Ct), Ct)).ToList();
        var delay = _random.Next(4);
        if (delay > 0) await Task.Delay(delay, Ct);
        await _nodes[0]!.DisposeAsync();
        _nodes[0] = null;

        var results = new List<IReadOnlyList<TransferResult>?>();
        var unknown = 0;
        foreach (var t in tasks)
        {
            try
            {
                results.Add(await t);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException || e.InnerException is ObjectDisposedException or OperationCanceledException)
            {
                results.Add(null); // the caller does not know: it will retry with the same ids
                unknown++;
            }
        }

        foreach (var g in givingUp) g?.Dispose();
        _nodes[0] = await backend.OpenAsync(_clock);
        // Requests abandoned by their callers on node 1 (still running) may still be queued there. Its writer is first
        // in, first out, so once a barrier request (refused, writes nothing) is answered, all of them are decided.
        Expect("barrier", [TransferResult.IdMustNotBeZero], await Node(1).CreateTransfersAsync([new Transfer(0, 0, 0, 0, 0)], Ct));
        Count("crash_unknown_requests", unknown);
        await ReconcileAsync(requests, results, "crash");
        _operations += requests.Sum(r => r.Count);

        // Callers that did not hear back retry with the same ids: now every retry answers exactly as the model says.
        var retries = requests.Where((_, i) => results[i] is null).ToList();
        foreach (var r in retries)
        {
            Expect("retry after crash", _model.Apply(r, _clock.UtcNow), await Node(0).CreateTransfersAsync(r, Ct));
            _operations += r.Count;
        }
    }

    /// <summary>
    /// Checks a set of requests whose commit order the model cannot know, then folds what was committed into the model
    /// and compares every balance. <paramref name="results"/> has null for a request whose outcome the caller never heard.
    /// </summary>
    private async Task ReconcileAsync(List<List<Transfer>> requests, List<IReadOnlyList<TransferResult>?> results, string phase)
    {
        var all = requests.SelectMany(r => r).Where(t => t.Id != UInt128.Zero).ToList();
        var idUses = all.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Count());
        var stored = (await Node(1).LookupTransfersAsync(idUses.Keys.ToList(), Ct)).ToDictionary(t => t.Id);
        var newlyCommitted = stored.Values.Where(t => !_model.Transfers.ContainsKey(t.Id)).ToList();
        var okCount = new Dictionary<UInt128, int>();

        for (var r = 0; r < requests.Count; r++)
        {
            var request = requests[r];
            if (results[r] is not { } res)
            {
                // Unknown outcome: each linked chain of fresh ids is wholly stored or wholly absent.
                foreach (var chain in Chains(request).Where(c => c.Count > 1 && c.All(t => t.Id != UInt128.Zero && idUses[t.Id] == 1 && !_model.Transfers.ContainsKey(t.Id))))
                {
                    var present = chain.Count(t => stored.ContainsKey(t.Id));
                    if (present != 0 && present != chain.Count) throw new SimulationException($"{phase}: a linked chain was committed in part ({present} of {chain.Count})");
                }

                continue;
            }

            Count(res);
            if (res.Count != request.Count) throw new SimulationException($"{phase}: {res.Count} results for {request.Count} transfers");
            for (var i = 0; i < request.Count; i++)
            {
                var t = request[i];
                if (res[i] == TransferResult.Ok)
                {
                    okCount[t.Id] = okCount.GetValueOrDefault(t.Id) + 1;
                    if (!stored.TryGetValue(t.Id, out var s)) throw new SimulationException($"{phase}: {t.Id} answered ok but is not stored");
                    if (_model.Transfers.ContainsKey(t.Id)) throw new SimulationException($"{phase}: {t.Id} answered ok but existed before");
                    if (!Matches(t, s)) throw new SimulationException($"{phase}: {t.Id} answered ok but another body is stored");
                    if (s.Timestamp != _clock.UtcNow) throw new SimulationException($"{phase}: {t.Id} stored with time {s.Timestamp}, clock {_clock.UtcNow}");
                }
                else if (res[i] == TransferResult.Exists)
                {
                    if (!stored.TryGetValue(t.Id, out var s) || !Matches(t, s)) throw new SimulationException($"{phase}: {t.Id} answered exists without that body stored");
                }
                else if (t.Id != UInt128.Zero && idUses[t.Id] == 1 && !_model.Transfers.ContainsKey(t.Id) && stored.ContainsKey(t.Id))
                {
                    throw new SimulationException($"{phase}: {t.Id} answered {res[i].Code()} but was stored");
                }
            }
        }

        foreach (var (id, n) in okCount)
        {
            if (n > 1) throw new SimulationException($"{phase}: {id} answered ok {n} times");
        }

        foreach (var t in newlyCommitted)
        {
            // Committed by a request that answered, or by one whose caller never heard back; never by nobody.
            var fromAnswered = okCount.ContainsKey(t.Id);
            var fromUnknown = requests.Where((_, r) => results[r] is null).Any(req => req.Any(x => x.Id == t.Id));
            if (!fromAnswered && !fromUnknown) throw new SimulationException($"{phase}: {t.Id} was stored although every submission of it was refused");
            if (!fromAnswered) Count("committed_unheard", 1); // the crash hit after the commit, before the answer
        }

        _model.FoldCommitted(newlyCommitted);
        await CompareAccountsAsync(phase);
        var pendingIds = newlyCommitted.Where(t => t.Transfer.Flags.Resolves()).Select(t => t.Transfer.PendingId).ToList();
        foreach (var p in await Node(0).LookupTransfersAsync(pendingIds, Ct))
        {
            if (p.PendingState != _model.Transfers[p.Id].PendingState) throw new SimulationException($"{phase}: pending {p.Id} is {p.PendingState} in the store, {_model.Transfers[p.Id].PendingState} in the model");
        }
    }

    /// <summary>The clock jumps; expiry runs on one node (predicted exactly) or on both at once with small claims.</summary>
    private async Task ExpireAsync()
    {
        _clock.Advance(TimeSpan.FromSeconds(1 + _random.Next(90)));
        var now = _clock.UtcNow;
        var due = _model.DuePending(now);
        int expired;
        if (_random.Next(2) == 0)
        {
            expired = await Node(_random.Next(2)).ExpireDuePendingTransfersAsync(now, 100_000, Ct);
        }
        else
        {
            var sweeps = await Task.WhenAll(
                new PendingTransferSweeper(Node(0), _clock, batchSize: 7).SweepOnceAsync(Ct),
                new PendingTransferSweeper(Node(1), _clock, batchSize: 5).SweepOnceAsync(Ct));
            expired = sweeps.Sum();
        }

        if (expired != due.Count) throw new SimulationException($"expiry: {expired} expired, {due.Count} were due");
        var voids = due.Select(p => (IReadOnlyList<Transfer>)[new Transfer(LedgerId.ExpiryVoidFor(p.Id), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, p.Id)]).ToList();
        var outcome = _model.Apply(voids, now);
        if (outcome.Results.Any(r => r[0] != TransferResult.Ok)) throw new SimulationException("expiry: the model refused a void the store made");
        var stored = await Node(0).LookupTransfersAsync(due.Select(p => p.Id).Concat(voids.Select(v => v[0].Id)).ToList(), Ct);
        foreach (var s in stored)
        {
            if (s != _model.Transfers[s.Id]) throw new SimulationException($"expiry: {s.Id} differs: store {s}, model {_model.Transfers[s.Id]}");
        }

        if (stored.Count != due.Count * 2) throw new SimulationException($"expiry: {stored.Count} rows for {due.Count} expiries");
        Count("expired", expired);
        _operations++;
        await CompareAccountsAsync("expiry");
    }

    private async Task CloseOrCreateAsync()
    {
        if (_random.Next(3) == 0)
        {
            var id = _generator.Pick(_world.Closable);
            var r = await Node(_random.Next(2)).CloseAccountAsync(id, Ct);
            if (!r.IsOk || !r.Value.IsClosed) throw new SimulationException($"close: {r.Error}");
            _model.Close(id);
            Count("closed", 1);
        }
        else
        {
            var fresh = new NewAccount(LedgerId.New(), OwnerKind.User, LedgerId.New(), AccountCode.UserQuota, AccountFlags.DebitsMustNotExceedCredits);
            var existing = _model.Accounts[_generator.Pick(_world.Users)];
            List<NewAccount> batch = [fresh, new(existing.Id, existing.OwnerKind, existing.OwnerId, existing.Code, existing.Flags & ~AccountFlags.Closed), fresh with { Code = 99 }, fresh with { Id = 0 }];
            Expect("create accounts", _model.CreateAccounts(batch, _clock.UtcNow), await Node(_random.Next(2)).CreateAccountsAsync(batch, Ct));
        }

        _operations++;
    }

    private async Task AuditAsync()
    {
        var checks = await Node(_random.Next(2)).AuditAsync(Ct);
        var broken = checks.Where(c => !c.Holds).ToList();
        if (broken.Count > 0) throw new SimulationException("audit: " + string.Join("; ", broken.Select(b => $"{b.Name}: {b.Detail}")));
    }

    private async Task CompareAccountsAsync(string phase)
    {
        var store = (await Node(1).LookupAccountsAsync(_model.Accounts.Keys.ToList(), Ct)).ToDictionary(a => a.Id);
        foreach (var (id, m) in _model.Accounts)
        {
            if (!store.TryGetValue(id, out var s) || !s.SameState(m)) throw new SimulationException($"{phase}: account {id} is {s} in the store, {m} in the model");
        }
    }

    private async Task CompareEverythingAsync()
    {
        await CompareAccountsAsync("end");
        foreach (var chunk in _model.Transfers.Keys.Chunk(5_000))
        {
            var stored = (await Node(0).LookupTransfersAsync(chunk, Ct)).ToDictionary(t => t.Id);
            foreach (var id in chunk)
            {
                if (!stored.TryGetValue(id, out var s) || s != _model.Transfers[id]) throw new SimulationException($"end: transfer {id} differs: store {s}, model {_model.Transfers[id]}");
            }
        }
    }

    /// <summary>Whether a stored transfer is the submitted one (post/void: zero fields filled from the pending transfer).</summary>
    private static bool Matches(Transfer submitted, TransferRecord stored)
    {
        var s = stored.Transfer;
        if (!submitted.Flags.Resolves()) return submitted == s;
        return submitted.Flags == s.Flags && submitted.PendingId == s.PendingId && submitted.TimeoutSeconds == 0
               && (submitted.DebitAccountId == 0 || submitted.DebitAccountId == s.DebitAccountId)
               && (submitted.CreditAccountId == 0 || submitted.CreditAccountId == s.CreditAccountId)
               && (submitted.Code == 0 || submitted.Code == s.Code)
               && (submitted.Amount == 0 || submitted.Amount == s.Amount);
    }

    private static IEnumerable<List<Transfer>> Chains(List<Transfer> request)
    {
        var chain = new List<Transfer>();
        foreach (var t in request)
        {
            chain.Add(t);
            if (t.Flags.HasFlag(TransferFlags.Linked)) continue;
            yield return chain;
            chain = [];
        }

        if (chain.Count > 0) yield return chain;
    }

    private static void Expect<T>(string what, IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.SequenceEqual(a)) throw new SimulationException($"{what}: expected [{string.Join(", ", e)}], store answered [{string.Join(", ", a)}]");
    }

    private void Count(IEnumerable<TransferResult> results)
    {
        foreach (var r in results) Count(r.Code(), 1);
    }

    private void Count(string key, int n) => _counts[key] = _counts.GetValueOrDefault(key) + n;
}
