using Meterai.Core.Payments;

namespace Meterai.PaySim.Transactions;

/// <summary>One order's transaction as the sandbox holds it.</summary>
public sealed record SimTransaction(
    string OrderId,
    string MerchantId,
    string TransactionId,
    PaymentMethod Method,
    string? Bank,
    string? VaNumber,
    string? QrString,
    Rupiah GrossAmount,
    TransactionStatus Status,
    FraudStatus? Fraud,
    Rupiah RefundedAmount,
    int Events,
    DateTimeOffset TransactionTime,
    DateTimeOffset ExpiryTime,
    DateTimeOffset? SettlementTime);
