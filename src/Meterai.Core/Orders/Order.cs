using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// An order for <see cref="Quantity"/> stamps as stored. The ledger accounts and the credit transfer's id are fixed when
/// the order is created, so whoever credits it (a notification on one node, reconciliation on another, a manual
/// re-check) writes the very same transfer, and the ledger's primary key lets only one of them succeed.
/// </summary>
/// <param name="ChannelId">The channel whose price applies (the buyer itself for a channel; null for an applicant buying directly).</param>
/// <param name="ProviderStatus">The last provider status applied to the order (null before the provider said anything).</param>
/// <param name="StockAccountId">Debited by the credit: the issuer's stock at the time of ordering.</param>
/// <param name="QuotaAccountId">Credited: the buyer's quota (applicant) or deposit (channel).</param>
/// <param name="SettledAt">The provider's settlement time, once known.</param>
/// <param name="LatePayment">The payment settled after the order had expired here (credited anyway: see <see cref="OrderRules"/>).</param>
/// <param name="CreditError">Why the credit could not be applied yet (a ledger result code), while the order is paid.</param>
/// <param name="NextCheckAt">When reconciliation looks at the order next (only while it awaits payment or credit).</param>
/// <param name="RecheckAt">
/// When reconciliation asks the provider about the order because a notification about it could not be confirmed (the
/// status API did not answer, or challenges were limited), whatever the order's state; null when nothing awaits the
/// provider's word. A claimed order carries its claim's lease here.
/// </param>
public sealed record Order(
    OrderId Id,
    Buyer Buyer,
    UInt128? ChannelId,
    int Quantity,
    UnitPrice Price,
    Rupiah Total,
    PaymentMethod Method,
    string? Bank,
    OrderState State,
    TransactionStatus? ProviderStatus,
    string? IdempotencyKey,
    UInt128 StockAccountId,
    UInt128 QuotaAccountId,
    UInt128 CreditTransferId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? SettledAt,
    DateTimeOffset? FulfilledAt,
    DateTimeOffset? ExpiredAt,
    DateTimeOffset? RefundedAt,
    int RefundedQuantity,
    bool LatePayment,
    string? CreditError,
    OrderCharge? Charge,
    DateTimeOffset NextCheckAt,
    int Checks,
    DateTimeOffset? RecheckAt = null)
{
    /// <summary>Stamps credited and not given back.</summary>
    public int UnrefundedQuantity => Quantity - RefundedQuantity;
}

/// <summary>What the buyer pays with, as the provider answered the charge.</summary>
public sealed record OrderCharge(string TransactionId, string? QrString, string? VaNumber, string? Bank, Uri? PayUrl, DateTimeOffset ExpiresAt)
{
    public static OrderCharge From(PaymentCharge c) => new(c.TransactionId, c.QrString, c.VaNumber, c.Bank, c.PayUrl, c.ExpiresAt);
}

/// <summary>An order to record, before anything is charged.</summary>
public sealed record NewOrder(
    OrderId Id,
    Buyer Buyer,
    UInt128? ChannelId,
    int Quantity,
    UnitPrice Price,
    PaymentMethod Method,
    string? Bank,
    string? IdempotencyKey,
    UInt128 StockAccountId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset FirstCheckAt)
{
    public Rupiah Total => Price.Total(Quantity);

    /// <summary>The same purchase as <paramref name="existing"/> (an idempotent retry), as opposed to another one under the same key.</summary>
    public bool SameRequestAs(Order existing) =>
        existing.Buyer == Buyer && existing.ChannelId == ChannelId && existing.Quantity == Quantity && existing.Method == Method
        && string.Equals(existing.Bank, Bank, StringComparison.Ordinal);

    public Order ToOrder() => new(Id, Buyer, ChannelId, Quantity, Price, Total, Method, Bank, OrderState.Created, null, IdempotencyKey,
        StockAccountId, Buyer.QuotaAccount().Id, OrderCredit.TransferIdFor(Id), CreatedAt, ExpiresAt, CreatedAt, null, null, null, null, null, 0,
        false, null, null, FirstCheckAt, 0);
}
