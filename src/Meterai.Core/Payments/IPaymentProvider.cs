using Meterai.Core.Common;

namespace Meterai.Core.Payments;

/// <summary>
/// The port to a payment provider (a QRIS / virtual account gateway). Every call either returns the provider's answer
/// or an <see cref="Error"/>; an unreachable, slow or failing provider is <c>provider_unavailable</c>, returned within
/// the adapter's timeout, never a hang. Every call is safe to repeat: a repeated charge for the same order returns the
/// existing charge, a repeated refund with the same key returns the first refund.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Creates (or, for an order already charged, returns) the charge the buyer pays: a QR string or a VA number.</summary>
    Task<Result<PaymentCharge>> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The provider's current view of the order's transaction. This is the truth a notification is challenged with,
    /// and the only way to learn of a payment whose notification was lost.
    /// </summary>
    Task<Result<ProviderTransaction>> GetStatusAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Gives back (part of) a settled amount; idempotent by <see cref="RefundRequest.RefundKey"/>.</summary>
    Task<Result<RefundReceipt>> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every transaction the provider settled on a WIB calendar day.</summary>
    Task<Result<SettlementReport>> GetSettlementReportAsync(DateOnly date, CancellationToken cancellationToken = default);
}
