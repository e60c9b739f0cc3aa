namespace Meterai.Core.Ledger;

/// <summary>Where a pending transfer stands. Stored as a small integer; values never change.</summary>
public enum PendingState : short
{
    /// <summary>Not a pending transfer (single-phase, post or void).</summary>
    None = 0,

    /// <summary>Reserved, waiting for a post, a void or its timeout.</summary>
    Pending = 1,
    Posted = 2,
    Voided = 3,

    /// <summary>Voided because its timeout passed (by the sweeper, or by a void that arrived after the timeout).</summary>
    Expired = 4,
}
