using Meterai.Core.Ledger;

namespace Meterai.Storage.Tests.Simulation;

/// <summary>
/// The ledger in memory: the same <see cref="LedgerStateMachine"/> and <see cref="AccountRules"/> the stores run,
/// with dictionaries instead of tables. Sequential steps are predicted exactly; concurrent steps (whose commit order
/// is the database's choice) are folded in from what the store committed, checked transfer by transfer.
/// </summary>
internal sealed class LedgerModel
{
    public Dictionary<UInt128, Account> Accounts { get; } = [];

    public Dictionary<UInt128, TransferRecord> Transfers { get; } = [];

    public IReadOnlyList<CreateAccountResult> CreateAccounts(IReadOnlyList<NewAccount> accounts, DateTimeOffset now)
    {
        var (results, inserts) = AccountRules.DecideBatch(accounts, Accounts, now);
        foreach (var a in inserts) Accounts[a.Id] = a;
        return results;
    }

    /// <summary>Applies one request exactly as a store would, with the same read set, and keeps the outcome.</summary>
    public TransferResult[] Apply(IReadOnlyList<Transfer> request, DateTimeOffset now) => Apply([request], now).Results[0];

    public LedgerBatchOutcome Apply(IReadOnlyList<IReadOnlyList<Transfer>> requests, DateTimeOffset now)
    {
        var read = LedgerStateMachine.ReadSetFor(requests);
        var transfers = new Dictionary<UInt128, TransferRecord>();
        var accountIds = new HashSet<UInt128>(read.AccountIds);
        foreach (var id in read.PendingIds.Concat(read.TransferIds))
        {
            if (!Transfers.TryGetValue(id, out var t)) continue;
            transfers[id] = t;
            if (read.PendingIds.Contains(id))
            {
                accountIds.Add(t.Transfer.DebitAccountId);
                accountIds.Add(t.Transfer.CreditAccountId);
            }
        }

        var accounts = accountIds.Where(Accounts.ContainsKey).ToDictionary(id => id, id => Accounts[id]);
        var outcome = LedgerStateMachine.Apply(requests, accounts, transfers, now);
        foreach (var t in outcome.Inserted) Transfers[t.Id] = t;
        foreach (var t in outcome.Resolved) Transfers[t.Id] = t;
        foreach (var a in outcome.ChangedAccounts) Accounts[a.Id] = a;
        return outcome;
    }

    /// <summary>
    /// Folds in transfers a store committed in an order the model could not know (concurrent submitters, crashes).
    /// Each must be new to the model and, for post/void, resolve a pending transfer that was still pending; balances
    /// move exactly as the state machine would have moved them.
    /// </summary>
    public void FoldCommitted(IEnumerable<TransferRecord> committed)
    {
        var list = committed.ToList();
        foreach (var r in list)
        {
            if (Transfers.ContainsKey(r.Id)) throw new SimulationException($"transfer {r.Id} committed twice");
        }

        // Pending transfers and single-phase ones first: a post/void in the same set may resolve one of them.
        foreach (var r in list.Where(r => !r.Transfer.Flags.Resolves()))
        {
            var t = r.Transfer;
            var pending = t.Flags.HasFlag(TransferFlags.Pending);
            Transfers[r.Id] = pending ? r with { PendingState = PendingState.Pending } : r;
            Move(t.DebitAccountId, a => pending ? a with { DebitsPending = a.DebitsPending + t.Amount } : a with { DebitsPosted = a.DebitsPosted + t.Amount });
            Move(t.CreditAccountId, a => pending ? a with { CreditsPending = a.CreditsPending + t.Amount } : a with { CreditsPosted = a.CreditsPosted + t.Amount });
        }

        foreach (var r in list.Where(r => r.Transfer.Flags.Resolves()))
        {
            var t = r.Transfer;
            if (!Transfers.TryGetValue(t.PendingId, out var p)) throw new SimulationException($"{r.Id} resolves unknown pending {t.PendingId}");
            if (p.PendingState != PendingState.Pending) throw new SimulationException($"{r.Id} resolves {t.PendingId}, which was already {p.PendingState}");
            var post = t.Flags.HasFlag(TransferFlags.PostPendingTransfer);
            var expired = p.ExpiresAt is { } at && r.Timestamp >= at;
            if (post && expired) throw new SimulationException($"{r.Id} posted {t.PendingId} after its timeout");
            if (t.DebitAccountId != p.Transfer.DebitAccountId || t.CreditAccountId != p.Transfer.CreditAccountId || t.Code != p.Transfer.Code)
            {
                throw new SimulationException($"{r.Id} is stored with other accounts or code than its pending transfer");
            }

            Transfers[r.Id] = r;
            Transfers[p.Id] = p with { PendingState = post ? PendingState.Posted : expired ? PendingState.Expired : PendingState.Voided };
            var amount = p.Transfer.Amount;
            Move(t.DebitAccountId, a => a with { DebitsPending = a.DebitsPending - amount, DebitsPosted = a.DebitsPosted + (post ? t.Amount : 0) });
            Move(t.CreditAccountId, a => a with { CreditsPending = a.CreditsPending - amount, CreditsPosted = a.CreditsPosted + (post ? t.Amount : 0) });
        }
    }

    public void Close(UInt128 id)
    {
        if (Accounts.TryGetValue(id, out var a)) Accounts[id] = a with { Flags = a.Flags | AccountFlags.Closed };
    }

    public List<TransferRecord> DuePending(DateTimeOffset now) =>
        Transfers.Values.Where(t => t.PendingState == PendingState.Pending && t.ExpiresAt is { } at && at <= now).ToList();

    private void Move(UInt128 account, Func<Account, Account> change)
    {
        if (!Accounts.TryGetValue(account, out var a)) throw new SimulationException($"a committed transfer names unknown account {account}");
        Accounts[account] = change(a);
    }
}

internal sealed class SimulationException(string message) : Exception(message);
