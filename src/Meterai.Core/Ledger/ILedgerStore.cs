using Meterai.Core.Common;

namespace Meterai.Core.Ledger;

/// <summary>
/// The quota ledger's storage port. Implementations (SQLite, PostgreSQL) apply <see cref="LedgerStateMachine"/> inside
/// one durable transaction per batch; every method is safe to call concurrently, from any number of processes.
/// Bad input is a result code and writes nothing; exceptions mean the database could not be reached or a bug.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Creates accounts; one result per account. Replays of an existing account answer <c>exists</c>.</summary>
    Task<IReadOnlyList<CreateAccountResult>> CreateAccountsAsync(IReadOnlyList<NewAccount> accounts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a request of transfers in order, atomically per linked chain, and returns one result per transfer once
    /// the batch holding it is durably committed. Concurrent requests are gathered into shared transactions.
    /// </summary>
    Task<IReadOnlyList<TransferResult>> CreateTransfersAsync(IReadOnlyList<Transfer> transfers, CancellationToken cancellationToken = default);

    /// <summary>The accounts that exist among <paramref name="ids"/> (absent ones are left out; order not guaranteed).</summary>
    Task<IReadOnlyList<Account>> LookupAccountsAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default);

    /// <summary>The transfers that exist among <paramref name="ids"/> (absent ones are left out; order not guaranteed).</summary>
    Task<IReadOnlyList<TransferRecord>> LookupTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes an account: no new transfer may touch it; voids of its pending transfers still go through. Closing a
    /// closed account again is a no-op. Error <c>account_not_found</c> when there is no such account.
    /// </summary>
    Task<Result<Account>> CloseAccountAsync(UInt128 id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending transfers whose timeout is at or before <paramref name="now"/> and
    /// voids them (state <see cref="PendingState.Expired"/>) through the normal batch rules, with
    /// <see cref="LedgerId.ExpiryVoidFor"/> ids so that nodes sweeping at once collide harmlessly. Returns how many
    /// this call expired.
    /// </summary>
    Task<int> ExpireDuePendingTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Checks every ledger invariant on the live data (<see cref="LedgerInvariant"/>).</summary>
    Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default);
}
