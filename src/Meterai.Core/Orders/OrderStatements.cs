using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>One provider status recorded in the payment inbox for an order.</summary>
/// <param name="Paid">The status says the provider took the money.</param>
/// <param name="Confirmed">A confirmed statement of the provider (its status API, or the answer to our own call).</param>
public readonly record struct RecordedStatus(TransactionStatus Status, bool Paid, bool Confirmed);

/// <summary>
/// What the payment inbox holds for one order, read under the order's lock by <see cref="IOrderStore.ApplyAsync"/>.
/// Every row written since issue 10 is confirmed; unconfirmed rows are notifications the old intake applied on their
/// word (a notification's signature does not cover its status), which <see cref="OrderRules.Rebase"/> sets aside.
/// </summary>
public sealed class OrderStatements(IReadOnlyList<RecordedStatus> recorded)
{
    public static OrderStatements None { get; } = new([]);

    public IReadOnlyList<RecordedStatus> Recorded { get; } = recorded;

    /// <summary>The inbox holds a row for this status (confirmed or not): its primary key is taken.</summary>
    public bool Holds(TransactionStatus status) => Recorded.Any(r => r.Status == status);

    public bool Confirms(TransactionStatus status) => Recorded.Any(r => r.Status == status && r.Confirmed);

    /// <summary>
    /// The furthest status the provider confirmed, or null when it confirmed none: a payment outranks an expiry (the
    /// late-payment policy), a refund outranks a payment.
    /// </summary>
    public TransactionStatus? LatestConfirmed =>
        Recorded.Where(r => r.Confirmed).Select(r => (TransactionStatus?)r.Status).MaxBy(s => Rank(s!.Value));

    private static int Rank(TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => 0,
        TransactionStatus.Capture => 1,
        TransactionStatus.Deny or TransactionStatus.Cancel or TransactionStatus.Expire => 2,
        TransactionStatus.Settlement => 3,
        TransactionStatus.PartialRefund => 4,
        TransactionStatus.Refund => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

/// <summary>What a report writes to the inbox.</summary>
public enum InboxWrite
{
    /// <summary>Nothing: not the provider's confirmed word, refused, or already confirmed.</summary>
    None,

    /// <summary>A new row, confirmed.</summary>
    Insert,

    /// <summary>The row of this status exists unconfirmed (written before issue 10): it becomes confirmed.</summary>
    Confirm,
}
