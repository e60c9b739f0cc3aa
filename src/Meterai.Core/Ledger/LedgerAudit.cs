namespace Meterai.Core.Ledger;

/// <summary>The ledger invariants an audit checks (<see cref="ILedgerStore.AuditAsync"/>). Names are stable.</summary>
public static class LedgerInvariant
{
    /// <summary>Σ posted debits = Σ posted credits and Σ pending debits = Σ pending credits over all accounts.</summary>
    public const string DebitsEqualCredits = "debits_equal_credits";

    /// <summary>No balance is negative; no account breaks its DebitsMustNotExceedCredits / CreditsMustNotExceedDebits
    /// flag (no quota holder is below zero).</summary>
    public const string LimitsHold = "limits_hold";

    /// <summary>Each pending transfer is resolved at most once, and its state agrees with the post/void that resolved it.</summary>
    public const string PendingResolvedAtMostOnce = "pending_resolved_at_most_once";

    /// <summary>Each transfer id exists once, and each account's balances equal the sums of the transfers that touched
    /// it: nothing applied twice, nothing lost.</summary>
    public const string TransfersAppliedOnce = "transfers_applied_once";

    /// <summary>Every transfer names accounts that exist, and every post/void names a pending transfer.</summary>
    public const string TransfersReferenceExisting = "transfers_reference_existing";

    public static IReadOnlyList<string> All { get; } =
        [DebitsEqualCredits, LimitsHold, PendingResolvedAtMostOnce, TransfersAppliedOnce, TransfersReferenceExisting];
}
