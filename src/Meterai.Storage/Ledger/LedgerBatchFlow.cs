using Meterai.Core.Ledger;

namespace Meterai.Storage.Ledger;

/// <summary>
/// The one way a batch of transfers reaches a database, for both backends: lock the pending transfers it resolves
/// (learning their accounts), lock every account involved in ascending id order, read existing transfers with the
/// batch's ids, apply <see cref="LedgerStateMachine"/>, write its decisions. The caller owns the transaction.
/// </summary>
/// <remarks>
/// Lock order is always "pending transfers, then accounts, each in ascending id order" for every writer on every
/// node, and the sweeper's claim never waits (SKIP LOCKED), so writers cannot deadlock each other.
/// </remarks>
internal static class LedgerBatchFlow
{
    public static async Task<LedgerBatchOutcome> ApplyAsync(
        ILedgerTransaction tx, IReadOnlyList<IReadOnlyList<Transfer>> requests, DateTimeOffset now, CancellationToken ct)
    {
        var read = LedgerStateMachine.ReadSetFor(requests);
        var transfers = new Dictionary<UInt128, TransferRecord>();
        var accountIds = new HashSet<UInt128>(read.AccountIds);
        if (read.PendingIds.Count > 0)
        {
            var ordered = read.PendingIds.Order().ToList();
            foreach (var p in await tx.LockTransfersAsync(ordered, ct).ConfigureAwait(false))
            {
                transfers[p.Id] = p;
                accountIds.Add(p.Transfer.DebitAccountId);
                accountIds.Add(p.Transfer.CreditAccountId);
            }
        }

        var unread = read.TransferIds.Where(id => !transfers.ContainsKey(id)).ToList();
        var (accounts, existing) = await tx.LockAccountsThenReadTransfersAsync(accountIds.Order().ToList(), unread, ct).ConfigureAwait(false);
        foreach (var t in existing) transfers[t.Id] = t;
        var outcome = LedgerStateMachine.Apply(requests, accounts.ToDictionary(a => a.Id), transfers, now);
        await tx.WriteAsync(outcome, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The voids that expire <paramref name="due"/> pending transfers: deterministic ids, everything else inherited.</summary>
    public static IReadOnlyList<IReadOnlyList<Transfer>> ExpiryRequests(IEnumerable<TransferRecord> due) =>
        due.Select(p => (IReadOnlyList<Transfer>)[new Transfer(LedgerId.ExpiryVoidFor(p.Id), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, p.Id)]).ToList();

    public static int CountOk(LedgerBatchOutcome outcome) => outcome.Results.Sum(r => r.Count(x => x == TransferResult.Ok));
}
