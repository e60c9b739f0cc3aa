namespace Meterai.Core.Payments;

/// <summary>The provider's view of one order's transaction, as its status API reports it.</summary>
/// <param name="RefundedAmount">Everything refunded so far (zero when nothing was).</param>
public sealed record ProviderTransaction(
    string OrderId,
    string TransactionId,
    PaymentMethod Method,
    Rupiah GrossAmount,
    TransactionStatus Status,
    FraudStatus? Fraud,
    DateTimeOffset TransactionTime,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? SettlementTime,
    Rupiah RefundedAmount)
{
    public bool IsPaid => TransactionStatusRules.IsPaid(Status, Fraud);

    public bool WasPaid => TransactionStatusRules.WasPaid(Status, Fraud);
}
