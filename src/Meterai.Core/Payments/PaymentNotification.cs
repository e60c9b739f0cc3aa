namespace Meterai.Core.Payments;

/// <summary>
/// One HTTP notification from the provider, read and signature-checked by <see cref="PaymentNotificationParser"/>.
/// It says what the provider believed when it sent it; it may be a duplicate, late, or out of order, so the crediting
/// side compares it (<see cref="TransactionStatusRules.Compare"/>) and challenges it (<see cref="NotificationChecks.Confirm"/>).
/// </summary>
/// <param name="GrossAmountText">The amount exactly as sent ("10000.00"): the signature covers this text.</param>
/// <param name="RefundedAmount">On refund and partial_refund notifications: everything refunded so far.</param>
/// <param name="NotificationId">The provider's id of the event; copies of a duplicated notification share it.</param>
public sealed record PaymentNotification(
    string OrderId,
    string TransactionId,
    string StatusCode,
    Rupiah GrossAmount,
    string GrossAmountText,
    TransactionStatus Status,
    FraudStatus? Fraud,
    PaymentMethod PaymentType,
    DateTimeOffset TransactionTime,
    DateTimeOffset? SettlementTime,
    Rupiah? RefundedAmount,
    string? NotificationId,
    string SignatureKey)
{
    public bool IsPaid => TransactionStatusRules.IsPaid(Status, Fraud);
}
