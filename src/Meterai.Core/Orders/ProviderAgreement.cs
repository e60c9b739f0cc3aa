using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// Whether an order as recorded here agrees with the provider's current record of its transaction (its status API's
/// answer): the live half of "every order's state agrees with the provider's record". The database half
/// (<see cref="PaymentInvariant.OrdersAgreeWithProvider"/>) checks that each state is backed by a confirmed statement;
/// this one catches what no statement reached us about: a payment, a refund made at the provider, an expiry, or a
/// recorded status the provider does not hold.
/// </summary>
public static class ProviderAgreement
{
    /// <summary>Null when they agree; else why not, for people.</summary>
    /// <param name="truth">The provider's answer; null when it has no transaction for the order (transaction_not_found).</param>
    public static string? Disagreement(Order order, ProviderTransaction? truth)
    {
        var here = $"{order.State.ToWire()} here" + (order.ProviderStatus is { } r ? $" (provider status {r.ToWire()})" : "");
        if (truth is null)
        {
            // Never charged: still to charge, or expired here past its grace; anything else was charged and must be known.
            var neverCharged = order.State == OrderState.Created || (order.State == OrderState.Expired && order.Charge is null && order.PaidAt is null);
            return neverCharged ? null : $"{here}; the provider has no transaction for it";
        }

        var says = $"{here}; the provider says {truth.Status.ToWire()}";
        if (truth.GrossAmount != order.Total) return $"{says} for {truth.GrossAmount.ToGatewayString()}, and the order is for {order.Total.ToGatewayString()}";
        // Provider statuses only move forward, so one recorded ahead of the provider's was never the provider's.
        if (order.ProviderStatus is { } recorded && TransactionStatusRules.Compare(truth.Status, recorded) == StatusChange.Advance)
        {
            return $"{says}, behind the recorded status";
        }

        // A credited order keeps its stamps unless taken back here: money refunded beyond them went back at the provider
        // only (its dashboard), which nothing here records until the whole order is refunded.
        var takenBack = new Rupiah(checked(order.Price.Unit.Value * order.RefundedQuantity));
        if (order.State == OrderState.Fulfilled && truth.RefundedAmount > takenBack)
        {
            return $"{says} and refunded {truth.RefundedAmount.ToGatewayString()}; the stamps taken back here are worth {takenBack.ToGatewayString()}";
        }

        return Agrees(order, truth) ? null : says;
    }

    private static bool Agrees(Order order, ProviderTransaction truth)
    {
        var allTakenBack = order.State == OrderState.Refunded && order.RefundedQuantity == order.Quantity;
        return truth.Status switch
        {
            // Our own refunds move the stamps back first and the money after (its provider half may be outstanding).
            _ when truth.IsPaid || truth.Status == TransactionStatus.PartialRefund =>
                order.State is OrderState.Paid or OrderState.Fulfilled || allTakenBack,
            TransactionStatus.Pending or TransactionStatus.Capture => order.State.AwaitsPayment(),
            TransactionStatus.Refund => order.State == OrderState.Refunded,
            _ => order.State == OrderState.Expired, // deny, cancel, expire
        };
    }
}
