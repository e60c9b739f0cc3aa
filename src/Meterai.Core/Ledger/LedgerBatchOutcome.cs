namespace Meterai.Core.Ledger;

/// <summary>What applying a batch decided: one result per transfer, and the rows a store must write.</summary>
/// <param name="Results">Per request, one result per transfer, in submission order.</param>
/// <param name="Inserted">New transfers to insert (with their final pending state).</param>
/// <param name="Resolved">Pending transfers that existed before the batch and whose state changed (new state inside).</param>
/// <param name="ChangedAccounts">Accounts whose balances changed, with their new balances.</param>
public sealed record LedgerBatchOutcome(
    TransferResult[][] Results,
    IReadOnlyList<TransferRecord> Inserted,
    IReadOnlyList<TransferRecord> Resolved,
    IReadOnlyList<Account> ChangedAccounts);

/// <summary>The rows a store must read (and lock) before it can apply a batch.</summary>
/// <param name="PendingIds">Pending transfers referenced by posts and voids: read (and lock) these first, then add
/// their accounts to <see cref="AccountIds"/>.</param>
/// <param name="TransferIds">Ids of the batch's own transfers: existing ones make replays <c>exists</c>.</param>
/// <param name="AccountIds">Accounts named by the batch.</param>
public sealed record LedgerReadSet(IReadOnlyList<UInt128> PendingIds, IReadOnlyList<UInt128> TransferIds, IReadOnlyList<UInt128> AccountIds);
