namespace Meterai.Core.Orders;

/// <summary>
/// Something about payments an operator may need to see: a notification refused (forged signature, wrong amount,
/// unknown order, a status going backwards, a replay), a challenge the provider did not answer, a settlement line
/// that does not match, a late payment, a refund the provider refused. Every refusal is recorded with its reason.
/// </summary>
/// <param name="Source">Where it came from: "notification", "reconciliation", "settlement_report", "recheck", "refund".</param>
/// <param name="Code">A stable snake_case reason (signature_invalid, amount_mismatch, order_unknown, status_backwards, …).</param>
/// <param name="OrderId">The order named (as sent: it may not be one of ours).</param>
/// <param name="DedupeKey">When set, the event is recorded once (e.g. a settlement mismatch seen on every pass).</param>
public sealed record PaymentEvent(
    DateTimeOffset At,
    string Source,
    string Code,
    string Message,
    string? OrderId = null,
    string? Status = null,
    string? NotificationId = null,
    string? DedupeKey = null)
{
    /// <summary>Order ids as sent by anyone are cut to this length before they are stored.</summary>
    public const int MaxOrderIdLength = 64;
}

/// <summary>A recorded event with its sequence number.</summary>
public sealed record StoredPaymentEvent(long Id, PaymentEvent Event);
