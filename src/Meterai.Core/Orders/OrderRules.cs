using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>What the rules decided for a report, before the store writes it.</summary>
/// <param name="State">The order's state after the report (before the credit: <see cref="OrderState.Paid"/> when <see cref="Credit"/>).</param>
/// <param name="ProviderStatus">The provider status to record.</param>
/// <param name="Credit">Attempt the order's credit in the same transaction; success makes the order fulfilled.</param>
/// <param name="LatePayment">The order had expired here and is now paid (the late-payment exception).</param>
/// <param name="Repaired">The order's recorded status was one the provider never confirmed, and the provider's answer replaces it (<see cref="OrderRules.Rebase"/>).</param>
public sealed record OrderDecision(ReportVerdict Verdict, OrderState State, Payments.TransactionStatus? ProviderStatus, bool Credit, bool LatePayment, string? Code, string? Message,
    bool Repaired = false)
{
    public static OrderDecision Keep(ReportVerdict verdict, Order order, string? code = null, string? message = null) =>
        new(verdict, order.State, order.ProviderStatus, false, false, code, message);
}

/// <summary>
/// The order rules, as pure functions: stores call <see cref="Decide"/> with the order row locked and write what it
/// says, so every node and every path (notification, reconciliation, settlement report, re-check) decides alike.
/// </summary>
/// <remarks>
/// <para>Only the provider's confirmed word moves an order: its status API's answer (signed), or its answer to our own
/// call (the charge). A notification is not: its signature covers order_id, status_code and gross_amount, not
/// transaction_status, and status code 200 is shared by capture, settlement, partial_refund and refund, so a signed
/// settlement can be replayed saying "refund". An unconfirmed report can only tell that nothing needs doing
/// (a duplicate, a stale status); anything else is <see cref="ReportVerdict.NeedsConfirmation"/>.</para>
/// <para>States only move forward (<see cref="CanMove"/>), with one stated exception: a payment that settles after its order
/// expired here is <b>credited</b> (expired → paid → fulfilled, flagged <see cref="Order.LatePayment"/>). The money was
/// taken; "paid ⇒ credited" outranks "expired is final", and the buyer may still ask for a refund of the unused stamps
/// like any other buyer. And one repair (<see cref="CanRepair"/>): an order moved on a statement the provider never
/// confirmed (before issue 10) is put back where the provider's answer and our own books have it.</para>
/// </remarks>
public static class OrderRules
{
    /// <summary>The event code of a repair (<see cref="Rebase"/>).</summary>
    public const string OrderRepaired = "order_repaired";

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

    /// <summary>
    /// The moves back a repair may make (the database allows the same, with these conditions): a refunded order whose
    /// stamps were not all taken back returns to fulfilled, an expired order never paid returns to awaiting payment.
    /// </summary>
    public static bool CanRepair(Order from, OrderState to) => (from.State, to) switch
    {
        (OrderState.Refunded, OrderState.Fulfilled) => from.RefundedQuantity < from.Quantity && from.FulfilledAt is not null,
        (OrderState.Expired, OrderState.Created or OrderState.PendingPayment) => from.PaidAt is null,
        _ => false,
    };

    /// <summary>Decides one provider report about <paramref name="order"/>, given what the inbox holds for it.</summary>
    public static OrderDecision Decide(Order order, ProviderReport report, OrderStatements inbox)
    {
        if (report.GrossAmount != order.Total)
        {
            return OrderDecision.Keep(ReportVerdict.Refused, order, PaymentErrors.AmountMismatch,
                $"the provider reports {report.GrossAmount.ToGatewayString()} for order {order.Id}, which is for {order.Total.ToGatewayString()}");
        }

        if (!report.Confirmed) return DecideUnconfirmed(order, report, inbox);
        var basis = Rebase(order, inbox);
        var decision = DecideConfirmed(basis, report, inbox);
        return ReferenceEquals(basis, order) ? decision : AsRepair(order, basis, decision, report);
    }

    /// <summary>
    /// The order as the provider's confirmed statements and our own books have it. It differs from the order only when
    /// the order's recorded provider status is one the provider never confirmed (a notification the old intake applied
    /// on its word): then the furthest confirmed status replaces it, and the state is what that status and the ledger
    /// say (credited: fulfilled, unless our own refunds took every stamp back or the provider refunded it all).
    /// </summary>
    public static Order Rebase(Order order, OrderStatements inbox)
    {
        if (order.ProviderStatus is not { } recorded || recorded == Payments.TransactionStatus.Pending || inbox.Confirms(recorded)) return order;
        var latest = inbox.LatestConfirmed;
        return order with { ProviderStatus = latest, State = StateOnTheBooks(order, latest) };
    }

    private static OrderState StateOnTheBooks(Order order, Payments.TransactionStatus? latest)
    {
        if (order.FulfilledAt is not null)
        {
            return order.RefundedQuantity == order.Quantity || latest == Payments.TransactionStatus.Refund ? OrderState.Refunded : OrderState.Fulfilled;
        }

        if (order.State == OrderState.Paid) return OrderState.Paid;
        return latest switch
        {
            Payments.TransactionStatus.Refund => OrderState.Refunded,
            Payments.TransactionStatus.Expire or Payments.TransactionStatus.Cancel or Payments.TransactionStatus.Deny => OrderState.Expired,
            null when order.Charge is null => OrderState.Created,
            _ => OrderState.PendingPayment,
        };
    }

    /// <summary>Not the provider's confirmed word: it may only tell that nothing needs doing; anything else is asked of the status API.</summary>
    private static OrderDecision DecideUnconfirmed(Order order, ProviderReport report, OrderStatements inbox)
    {
        if (inbox.Holds(report.Status)) return OrderDecision.Keep(ReportVerdict.Duplicate, order);
        var change = order.ProviderStatus is { } recorded ? TransactionStatusRules.Compare(recorded, report.Status) : StatusChange.Advance;
        return change switch
        {
            StatusChange.Repeat => OrderDecision.Keep(ReportVerdict.Duplicate, order),
            StatusChange.Stale => OrderDecision.Keep(ReportVerdict.Stale, order, PaymentErrors.StatusBackwards,
                $"status {report.Status.ToWire()} is behind the recorded {order.ProviderStatus!.Value.ToWire()}"),
            StatusChange.Contradiction => OrderDecision.Keep(ReportVerdict.NeedsConfirmation, order, PaymentErrors.StatusContradiction,
                $"status {report.Status.ToWire()} contradicts the recorded {order.ProviderStatus!.Value.ToWire()}"),
            _ => OrderDecision.Keep(ReportVerdict.NeedsConfirmation, order, "needs_confirmation",
                $"status {report.Status.ToWire()} of order {order.Id} is a notification's word, not the provider's confirmed answer"),
        };
    }

    private static OrderDecision DecideConfirmed(Order order, ProviderReport report, OrderStatements inbox)
    {
        if (inbox.Confirms(report.Status)) return OrderDecision.Keep(ReportVerdict.Duplicate, order);
        var change = order.ProviderStatus is { } recorded ? TransactionStatusRules.Compare(recorded, report.Status) : StatusChange.Advance;
        if (change == StatusChange.Repeat) return OrderDecision.Keep(ReportVerdict.Duplicate, order);
        if (change == StatusChange.Stale)
        {
            return OrderDecision.Keep(ReportVerdict.Stale, order, PaymentErrors.StatusBackwards,
                $"status {report.Status.ToWire()} is behind the recorded {order.ProviderStatus!.Value.ToWire()}");
        }

        return report.WasPaid ? DecidePaid(order, report) : DecideUnpaid(order, report, change == StatusChange.Contradiction);
    }

    /// <summary>The decision on the rebased order, as a move of the order as stored: an applied repair.</summary>
    private static OrderDecision AsRepair(Order order, Order basis, OrderDecision decision, ProviderReport report)
    {
        var applied = decision.Verdict == ReportVerdict.Applied;
        var state = applied ? decision.State : basis.State;
        var status = applied ? decision.ProviderStatus : basis.ProviderStatus;
        // The provider confirms what was recorded on a notification's word: nothing to repair, only the statement to confirm.
        if (state == order.State && status == order.ProviderStatus) return decision;
        if (!CanMove(order.State, state) && !CanRepair(order, state))
        {
            // Not a move the rules (or the database) allow even as a repair: left for an operator, with the reason.
            return OrderDecision.Keep(ReportVerdict.Refused, order, "repair_not_possible",
                $"order {order.Id} is {order.State.ToWire()} on status {order.ProviderStatus?.ToWire()}, which the provider never confirmed; "
                + $"the provider says {report.Status.ToWire()}, which would make it {state.ToWire()}");
        }

        return new OrderDecision(ReportVerdict.Applied, state, status, applied && decision.Credit, applied && decision.LatePayment, OrderRepaired,
            $"order {order.Id} was {order.State.ToWire()} on status {order.ProviderStatus?.ToWire()}, which the provider never confirmed; "
            + $"the provider says {report.Status.ToWire()}: now {state.ToWire()}", Repaired: true);
    }

    /// <summary>What the report writes to the inbox: only the provider's confirmed word is recorded, once per status.</summary>
    public static InboxWrite InboxWriteFor(ProviderReport report, OrderStatements inbox, OrderDecision decision) =>
        !report.Confirmed || decision.Verdict is ReportVerdict.Refused or ReportVerdict.NeedsConfirmation || inbox.Confirms(report.Status) ? InboxWrite.None
        : inbox.Holds(report.Status) ? InboxWrite.Confirm
        : InboxWrite.Insert;

    private static bool IsCredited(OrderState state) => state is OrderState.Fulfilled or OrderState.Refunded;

    private static OrderDecision DecidePaid(Order order, ProviderReport report)
    {
        if (IsCredited(order.State))
        {
            // Already credited: record how far the provider got (a refund it made on its own marks the order refunded;
            // the provider confirmed it, so the money is back, but the stamps it did not take back are an operator's matter).
            var state = report.Status == Payments.TransactionStatus.Refund ? OrderState.Refunded : order.State;
            var unmatched = state == OrderState.Refunded && order.State != OrderState.Refunded && order.RefundedQuantity < order.Quantity;
            return new OrderDecision(ReportVerdict.Applied, state, report.Status, false, false, unmatched ? "refunded_at_provider" : null,
                unmatched ? $"the provider refunded order {order.Id} in full, but only {order.RefundedQuantity} of its {order.Quantity} stamps were taken back here" : null);
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
            // Cleared only by a repair moving the order back to awaiting payment / fulfilled (history is kept otherwise).
            ExpiredAt = state.AwaitsPayment() ? null : order.ExpiredAt ?? (state == OrderState.Expired ? now : null),
            RefundedAt = state == OrderState.Refunded ? order.RefundedAt ?? now : null,
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
