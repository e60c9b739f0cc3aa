namespace Meterai.Core.Payments;

/// <summary>
/// What the provider settled on one WIB day. With lost notifications this report and the status API are the only
/// truth: reconciliation credits every settled order here that the notifications missed.
/// </summary>
public sealed record SettlementReport(DateOnly Date, IReadOnlyList<SettledTransaction> Transactions)
{
    public Rupiah TotalGross => Transactions.Aggregate(Rupiah.Zero, (sum, t) => sum + t.GrossAmount);
}

/// <param name="CurrentStatus">The status now (settlement, or partial_refund/refund when money went back since).</param>
public sealed record SettledTransaction(
    string OrderId,
    string TransactionId,
    PaymentMethod Method,
    Rupiah GrossAmount,
    DateTimeOffset SettlementTime,
    TransactionStatus CurrentStatus,
    Rupiah RefundedAmount);
