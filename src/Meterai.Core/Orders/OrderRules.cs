using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>What the rules decided for a report, before the store writes it.</summary>
/// <param name="State">The order's state after the report (before the credit: <see cref="OrderState.Paid"/> when <see cref="Credit"/>).</param>
/// <param name="ProviderStatus">The provider status to record.</param>
/// <param name="Credit">Attempt the order's credit in the same transaction; success makes the order fulfilled.</param>
/// <param name="LatePayment">The order had expired here and is now paid (the late-payment exception).</param>
public sealed record OrderDecision(ReportVerdict Verdict, OrderState State, Payments.TransactionStatus? ProviderStatus, bool Credit, bool LatePayment, string? Code, string? Message)
{
    public static OrderDecision Keep(ReportVerdict verdict, Order order, string? code = null, string? message = null) =>
        new(verdict, order.State, order.ProviderStatus, false, false, code, message);
}

/// <summary>
/// The order rules, as pure functions: stores call <see cref="Decide"/> with the order row locked and write what it
/// says, so every node and every path (notification, reconciliation, settlement report, re-check) decides alike.
/// </summary>
/// <remarks>
/// States only move forward (<see cref="CanMove"/>), with one stated exception: a payment that settles after its order
/// expired here is <b>credited</b> (expired → paid → fulfilled, flagged <see cref="Order.LatePayment"/>). The money was
/// taken; "paid ⇒ credited" outranks "expired is final", and the buyer may still ask for a refund of the unused stamps
/// like any other buyer. The provider must confirm such a payment (status API) before it counts.
/// </remarks>
public static class OrderRules
{
    /// <summary>True when an order may move from <paramref name="from"/> to <paramref name="to"/> (the database enforces the same).</summary>
    public static bool CanMove(OrderState from, OrderState to) => from == to || (from, to) switch
    {
        (OrderState.Created, OrderState.PendingPayment or OrderState.Paid or OrderState.Fulfilled or OrderState.Expired or OrderState.Refunded) => true,
        (OrderState.PendingPayment, OrderState.Paid or OrderState.Fulfilled or OrderState.Expired or OrderState.Refunded) => true,
        (OrderState.Paid, OrderState.Fulfilled or OrderState.Refunded) => true,
        (OrderState.Fulfilled, OrderState.Refunded) => true,
        // The late-payment exception: see the remarks.
        (OrderState.Expired, OrderState.Paid or OrderState.Fulfilled or OrderState.Refunded) => true,
        _ => false,
    };

    /// <summary>Decides one provider report about <paramref name="order"/>.</summary>
    /// <param name="alreadyRecorded">The inbox already holds (provider, order, status).</param>
    public static OrderDecision Decide(Order order, ProviderReport report, bool alreadyRecorded)
    {
        if (report.GrossAmount != order.Total)
        {
            return OrderDecision.Keep(ReportVerdict.Refused, order, PaymentErrors.AmountMismatch,
                $"the provider reports {report.GrossAmount.ToGatewayString()} for order {order.Id}, which is for {order.Total.ToGatewayString()}");
        }

        if (alreadyRecorded) return OrderDecision.Keep(ReportVerdict.Duplicate, order);

        var change = order.ProviderStatus is { } recorded ? TransactionStatusRules.Compare(recorded, report.Status) : StatusChange.Advance;
        if (change == StatusChange.Repeat) return OrderDecision.Keep(ReportVerdict.Duplicate, order);
        if (change == StatusChange.Stale)
        {
            return OrderDecision.Keep(ReportVerdict.Stale, order, PaymentErrors.StatusBackwards,
                $"status {report.Status.ToWire()} is behind the recorded {order.ProviderStatus!.Value.ToWire()}");
        }

        var contradiction = change == StatusChange.Contradiction;
        var owesCredit = report.WasPaid && !IsCredited(order.State);
        if ((contradiction || owesCredit) && !report.Confirmed)
        {
            return OrderDecision.Keep(ReportVerdict.NeedsConfirmation, order, contradiction ? PaymentErrors.StatusContradiction : "credit_needs_confirmation",
                contradiction
                    ? $"status {report.Status.ToWire()} contradicts the recorded {order.ProviderStatus!.Value.ToWire()}"
                    : $"status {report.Status.ToWire()} would credit order {order.Id}");
        }

        return report.WasPaid ? DecidePaid(order, report) : DecideUnpaid(order, report, contradiction);
    }

    private static bool IsCredited(OrderState state) => state is OrderState.Fulfilled or OrderState.Refunded;

    private static OrderDecision DecidePaid(Order order, ProviderReport report)
    {
        if (IsCredited(order.State))
        {
            // Already credited: record how far the provider got (a refund it made on its own marks the order refunded).
            var state = report.Status == Payments.TransactionStatus.Refund ? OrderState.Refunded : order.State;
            return new OrderDecision(ReportVerdict.Applied, state, report.Status, false, false, null, null);
        }

        if (report.Status == Payments.TransactionStatus.Refund)
        {
            // All the money went back before we could credit: nothing is owed, crediting now would give quota away.
            return new OrderDecision(ReportVerdict.Applied, OrderState.Refunded, report.Status, false, false, "refunded_before_credit",
                $"the provider refunded order {order.Id} in full before it was credited");
        }

        var late = order.State == OrderState.Expired;
        return new OrderDecision(ReportVerdict.Applied, OrderState.Paid, report.Status, true, late || order.LatePayment, late ? "late_payment" : null,
            late ? $"order {order.Id} expired here but the provider settled it: credited (late-payment policy)" : null);
    }

    private static OrderDecision DecideUnpaid(Order order, ProviderReport report, bool contradiction)
    {
        switch (report.Status)
        {
            case Payments.TransactionStatus.Pending:
            case Payments.TransactionStatus.Capture: // not fraud-accepted: waiting for the screen's verdict
                return new OrderDecision(ReportVerdict.Applied, order.State == OrderState.Created ? OrderState.PendingPayment : order.State,
                    report.Status, false, false, null, null);
            default: // expire, cancel, deny
                if (order.State.AwaitsPayment())
                {
                    return new OrderDecision(ReportVerdict.Applied, OrderState.Expired, report.Status, false, false, null, null);
                }

                // A paid order cannot lapse, even when the provider now says so: money came in, the quota stays.
                return OrderDecision.Keep(ReportVerdict.Refused, order, PaymentErrors.StatusContradiction,
                    $"the provider says {report.Status.ToWire()} for order {order.Id}, which is {order.State.ToWire()}{(contradiction ? " (confirmed)" : "")}");
        }
    }

    /// <summary>
    /// The order after a decision was written: the new state (fulfilled when the credit committed), the provider status,
    /// and the times of each state reached for the first time. Shared by the stores so both write the same row.
    /// </summary>
    public static Order Advance(Order order, OrderDecision decision, ProviderReport report, Ledger.TransferResult? credit, DateTimeOffset now)
    {
        var credited = credit is { } c && Ledger.TransferResultCodes.IsCommitted(c);
        var state = credited ? OrderState.Fulfilled : decision.State;
        var paid = decision.Verdict == ReportVerdict.Applied && report.WasPaid;
        return order with
        {
            State = state,
            ProviderStatus = decision.Verdict == ReportVerdict.Applied ? decision.ProviderStatus : order.ProviderStatus,
            UpdatedAt = now,
            PaidAt = order.PaidAt ?? (paid ? now : null),
            SettledAt = order.SettledAt ?? (paid ? report.SettlementTime : null),
            FulfilledAt = order.FulfilledAt ?? (state == OrderState.Fulfilled ? now : null),
            ExpiredAt = order.ExpiredAt ?? (state == OrderState.Expired ? now : null),
            RefundedAt = order.RefundedAt ?? (state == OrderState.Refunded ? now : null),
            LatePayment = order.LatePayment || decision.LatePayment,
            CreditError = credited ? null : credit is { } failed ? Ledger.TransferResultCodes.Code(failed) : order.CreditError,
            Charge = order.Charge ?? report.Charge,
        };
    }

    /// <summary>The order after a retried credit (<see cref="IOrderStore.RetryCreditAsync"/>).</summary>
    public static Order AfterCredit(Order order, Ledger.TransferResult credit, DateTimeOffset now) =>
        Ledger.TransferResultCodes.IsCommitted(credit)
            ? order with { State = OrderState.Fulfilled, FulfilledAt = order.FulfilledAt ?? now, CreditError = null, UpdatedAt = now }
            : order with { CreditError = Ledger.TransferResultCodes.Code(credit), UpdatedAt = now };

    /// <summary>The order after <paramref name="quantity"/> of its stamps were refunded.</summary>
    public static Order AfterRefund(Order order, int quantity, DateTimeOffset now)
    {
        var refunded = order.RefundedQuantity + quantity;
        var all = refunded == order.Quantity;
        return order with
        {
            RefundedQuantity = refunded,
            State = all ? OrderState.Refunded : order.State,
            RefundedAt = all ? order.RefundedAt ?? now : order.RefundedAt,
            UpdatedAt = now,
        };
    }

    /// <summary>Checks a refund of <paramref name="quantity"/> unused stamps of <paramref name="order"/>.</summary>
    public static Error? CheckRefund(Order order, int quantity)
    {
        if (order.State != OrderState.Fulfilled)
        {
            return new Error(OrderErrors.RefundNotAllowed, $"order {order.Id} is {order.State.ToWire()}: only fulfilled orders can be refunded");
        }

        if (quantity < 1) return new Error(OrderErrors.QuantityInvalid, "refund at least one stamp");
        if (quantity > order.UnrefundedQuantity)
        {
            return new Error(OrderErrors.RefundExceedsOrder,
                $"order {order.Id} has {order.UnrefundedQuantity} of {order.Quantity} stamps left to refund, not {quantity}");
        }

        return null;
    }
}
