namespace Meterai.Core.Payments;

/// <summary>How a newly reported status relates to the one already recorded for the same transaction.</summary>
public enum StatusChange
{
    /// <summary>The new status lies ahead on the transaction's path: apply it.</summary>
    Advance,

    /// <summary>The same status again (a duplicated or replayed notification): nothing to do, answer 200.</summary>
    Repeat,

    /// <summary>An earlier status arriving late (reordered or replayed): ignore it, answer 200.</summary>
    Stale,

    /// <summary>
    /// Two statuses that cannot both be true (settlement vs expire): one side is wrong; ask the provider
    /// (<see cref="IPaymentProvider.GetStatusAsync"/>) and act on its answer.
    /// </summary>
    Contradiction,
}

/// <summary>
/// The life of a provider transaction:
/// <code>
///   pending ─> capture ─> settlement ─> partial_refund ─> refund
///      │  └────────────────┘  └───────────────────────────┘
///      └─> deny | cancel | expire           (capture ─> deny | cancel)
/// </code>
/// Notifications arrive duplicated, late and out of order, so the crediting side never applies a status blindly:
/// it asks <see cref="Compare"/> whether the status moves the transaction forward.
/// </summary>
public static class TransactionStatusRules
{
    /// <summary>No status follows a final one (a partial refund is not final: more may be refunded).</summary>
    public static bool IsFinal(TransactionStatus status) =>
        status is TransactionStatus.Deny or TransactionStatus.Cancel or TransactionStatus.Expire or TransactionStatus.Refund;

    /// <summary>
    /// The money is in: settlement, or a capture the fraud screen accepted. This is the moment an order becomes
    /// paid and its quota is owed.
    /// </summary>
    public static bool IsPaid(TransactionStatus status, FraudStatus? fraud) =>
        status == TransactionStatus.Settlement || (status == TransactionStatus.Capture && fraud == FraudStatus.Accept);

    /// <summary>The transaction was paid at some point, even if (part of) it has been refunded since.</summary>
    public static bool WasPaid(TransactionStatus status, FraudStatus? fraud) =>
        IsPaid(status, fraud) || status is TransactionStatus.PartialRefund or TransactionStatus.Refund;

    /// <summary>True when a transaction in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(TransactionStatus from, TransactionStatus to) => from != to && Predecessors(to).Contains(from);

    public static StatusChange Compare(TransactionStatus recorded, TransactionStatus incoming)
    {
        if (recorded == incoming) return StatusChange.Repeat;
        if (Predecessors(incoming).Contains(recorded)) return StatusChange.Advance;
        if (Predecessors(recorded).Contains(incoming)) return StatusChange.Stale;
        return StatusChange.Contradiction;
    }

    /// <summary>Every status a transaction can have been in before reaching <paramref name="status"/>.</summary>
    private static TransactionStatus[] Predecessors(TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => [],
        TransactionStatus.Capture => [TransactionStatus.Pending],
        TransactionStatus.Settlement => [TransactionStatus.Pending, TransactionStatus.Capture],
        TransactionStatus.PartialRefund => [TransactionStatus.Pending, TransactionStatus.Capture, TransactionStatus.Settlement],
        TransactionStatus.Refund =>
            [TransactionStatus.Pending, TransactionStatus.Capture, TransactionStatus.Settlement, TransactionStatus.PartialRefund],
        TransactionStatus.Deny or TransactionStatus.Cancel => [TransactionStatus.Pending, TransactionStatus.Capture],
        TransactionStatus.Expire => [TransactionStatus.Pending],
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
