namespace Meterai.Core.Ledger;

/// <summary>
/// A committed transfer. For post/void, <see cref="Transfer"/> holds the resolved body: the pending transfer's
/// accounts and code, and the amount actually posted or released.
/// </summary>
/// <param name="Timestamp">When the batch that committed it was applied (the store's clock).</param>
/// <param name="ExpiresAt">For a pending transfer with a timeout: when it expires.</param>
/// <param name="PendingState">For a pending transfer: where it stands now. <see cref="PendingState.None"/> otherwise.</param>
public sealed record TransferRecord(Transfer Transfer, DateTimeOffset Timestamp, DateTimeOffset? ExpiresAt, PendingState PendingState)
{
    public UInt128 Id => Transfer.Id;
}
