namespace Meterai.Core.Payments;

/// <param name="RefundKey">Chosen by the caller and reused on every retry: the provider refunds once per key.</param>
public sealed record RefundRequest(string OrderId, Rupiah Amount, string RefundKey, string? Reason = null);

/// <param name="TotalRefunded">Everything refunded on the order so far, this refund included.</param>
/// <param name="Status">The transaction's status after the refund: partial_refund or refund.</param>
public sealed record RefundReceipt(
    string OrderId,
    string RefundKey,
    Rupiah Amount,
    Rupiah TotalRefunded,
    TransactionStatus Status,
    DateTimeOffset RefundedAt);
