namespace Meterai.Core.Payments;

/// <param name="OrderId">Our order id; the provider keys everything on it (1–64 of A-Z a-z 0-9 - _ . ~).</param>
/// <param name="Expiry">How long the buyer has to pay; the transaction becomes expire afterwards.</param>
/// <param name="Bank">For virtual accounts: the bank code ("bca", "bni", "bri", "mandiri", "permata"); null for the provider's default.</param>
public sealed record ChargeRequest(string OrderId, Rupiah Amount, PaymentMethod Method, TimeSpan Expiry, string? Bank = null);

/// <summary>What the buyer needs in order to pay, and when the offer lapses.</summary>
/// <param name="QrString">QRIS: the EMVCo payload to render as a QR code.</param>
/// <param name="VaNumber">Virtual account: the number to transfer to at <see cref="Bank"/>.</param>
/// <param name="PayUrl">A page where the buyer sees the QR or VA number (the sandbox's pay page).</param>
/// <param name="Existing">True when the order had been charged before and this is that same charge.</param>
public sealed record PaymentCharge(
    string OrderId,
    string TransactionId,
    PaymentMethod Method,
    Rupiah Amount,
    TransactionStatus Status,
    DateTimeOffset TransactionTime,
    DateTimeOffset ExpiresAt,
    string? QrString,
    string? Bank,
    string? VaNumber,
    Uri? PayUrl,
    bool Existing);
