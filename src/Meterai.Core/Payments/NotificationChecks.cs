using Meterai.Core.Common;

namespace Meterai.Core.Payments;

/// <summary>
/// The checks the crediting side makes after <see cref="PaymentNotificationParser.Parse(string, string)"/> accepted a
/// notification's signature, in this order:
/// <list type="number">
/// <item>the order exists (<see cref="UnknownOrder"/>) and the amount is the order's (<see cref="MatchOrder"/>);</item>
/// <item>the status moves the order forward (<see cref="TransactionStatusRules.Compare"/>, or <see cref="CheckForward"/>);</item>
/// <item>the provider confirms it (<see cref="Confirm"/> with <see cref="IPaymentProvider.GetStatusAsync"/>).</item>
/// </list>
/// A signed notification can still be a replay of an old one, so only the provider's current answer is acted on.
/// </summary>
public static class NotificationChecks
{
    public static Error UnknownOrder(string orderId) =>
        new(PaymentErrors.OrderUnknown, $"no order {orderId} was placed here");

    /// <summary><c>order_mismatch</c> or <c>amount_mismatch</c> when the notification is not about the order we hold.</summary>
    public static Error? MatchOrder(PaymentNotification notification, string orderId, Rupiah orderAmount)
    {
        if (!string.Equals(notification.OrderId, orderId, StringComparison.Ordinal))
        {
            return new Error(PaymentErrors.OrderMismatch, $"notification is for order {notification.OrderId}, not {orderId}");
        }

        return notification.GrossAmount == orderAmount
            ? null
            : new Error(PaymentErrors.AmountMismatch,
                $"notification for order {orderId} says {notification.GrossAmountText}, the order is for {orderAmount.ToGatewayString()}");
    }

    /// <summary>
    /// The <see cref="TransactionStatusRules.Compare"/> verdict as a value: <c>status_backwards</c> for a stale
    /// (reordered or replayed) status, <c>status_contradiction</c> for one that cannot follow the recorded status.
    /// A repeat is not an error: the caller answers 200 and does nothing.
    /// </summary>
    public static Result<StatusChange> CheckForward(TransactionStatus recorded, TransactionStatus incoming)
    {
        var change = TransactionStatusRules.Compare(recorded, incoming);
        return change switch
        {
            StatusChange.Stale => Result<StatusChange>.Fail(PaymentErrors.StatusBackwards,
                $"status {incoming.ToWire()} is behind the recorded {recorded.ToWire()}"),
            StatusChange.Contradiction => Result<StatusChange>.Fail(PaymentErrors.StatusContradiction,
                $"status {incoming.ToWire()} cannot follow the recorded {recorded.ToWire()}"),
            _ => change,
        };
    }

    /// <summary>
    /// Challenges a notification with the provider's current answer for the same order. The provider must agree on
    /// the order and the amount and be at least as far along as the notification claims; the result is the
    /// provider's transaction, which is what the caller acts on (it may be further along than the notification).
    /// </summary>
    public static Result<ProviderTransaction> Confirm(PaymentNotification notification, ProviderTransaction truth)
    {
        if (!string.Equals(notification.OrderId, truth.OrderId, StringComparison.Ordinal))
        {
            return Result<ProviderTransaction>.Fail(PaymentErrors.OrderMismatch,
                $"the provider answered for order {truth.OrderId}, not {notification.OrderId}");
        }

        if (notification.GrossAmount != truth.GrossAmount)
        {
            return Result<ProviderTransaction>.Fail(PaymentErrors.AmountMismatch,
                $"notification says {notification.GrossAmountText}, the provider says {truth.GrossAmount.ToGatewayString()} for order {truth.OrderId}");
        }

        return TransactionStatusRules.Compare(truth.Status, notification.Status) switch
        {
            StatusChange.Repeat or StatusChange.Stale => truth,
            _ => Result<ProviderTransaction>.Fail(PaymentErrors.NotificationUnconfirmed,
                $"notification says {notification.Status.ToWire()} but the provider says {truth.Status.ToWire()} for order {truth.OrderId}"),
        };
    }
}
