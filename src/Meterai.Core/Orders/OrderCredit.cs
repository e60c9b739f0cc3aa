using Meterai.Core.Common;
using Meterai.Core.Ledger;

namespace Meterai.Core.Orders;

/// <summary>
/// The ledger side of selling quota: the credit of a paid order and the reversal of refunded stamps, with ids derived
/// from the order (and the refund), so that a second credit of the same order is the same transfer id and can only
/// answer <c>exists</c>, never apply twice.
/// </summary>
public static class OrderCredit
{
    private const string CreditDomain = "meterai/payments/order-credit/v1";
    private const string RefundDomain = "meterai/payments/order-refund/v1";

    public static UInt128 TransferIdFor(OrderId order) => DerivedId.From(CreditDomain, order.Value);

    public static UInt128 RefundTransferIdFor(string refundId) => DerivedId.From(RefundDomain, refundId);

    /// <summary>Issuer stock → the buyer's quota, the order's quantity: the one credit an order ever gets.</summary>
    public static Transfer CreditFor(Order order) =>
        new(order.CreditTransferId, order.StockAccountId, order.QuotaAccountId, order.Quantity, TransferCode.Sale);

    /// <summary>The buyer's quota → refunded, for stamps bought back (refused with exceeds_credits when they were used).</summary>
    public static Transfer ReversalFor(Order order, string refundId, int quantity) =>
        new(RefundTransferIdFor(refundId), order.QuotaAccountId, SystemAccounts.Refunded.Id, quantity, TransferCode.Refund);
}
