using Meterai.Core.Ledger;

namespace Meterai.Storage.Ledger;

/// <summary>The reads and writes of one ledger batch inside a backend's write transaction.</summary>
internal interface ILedgerTransaction
{
    /// <summary>Reads the transfers with these ids and locks them (PostgreSQL: FOR UPDATE, in id order).</summary>
    Task<IReadOnlyList<TransferRecord>> LockTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken ct);

    /// <summary>
    /// Locks the accounts (ids given in ascending order; PostgreSQL: FOR UPDATE ORDER BY id) and then reads the
    /// transfers with <paramref name="transferIds"/> (no lock: a concurrent insert of the same id loses on the key).
    /// </summary>
    Task<(IReadOnlyList<Account> Accounts, IReadOnlyList<TransferRecord> Transfers)> LockAccountsThenReadTransfersAsync(
        IReadOnlyList<UInt128> accountIds, IReadOnlyList<UInt128> transferIds, CancellationToken ct);

    /// <summary>Writes what the state machine decided: inserts, pending-state moves, new balances.</summary>
    Task WriteAsync(LedgerBatchOutcome outcome, CancellationToken ct);
}

/// <summary>Thrown when a conditional write finds that another node got there first; the batch is retried from scratch.</summary>
internal sealed class LostRaceException(string message) : Exception(message);
