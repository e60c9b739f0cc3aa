using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>What the notification endpoint answers, and why.</summary>
public enum NotificationDisposition
{
    /// <summary>Recorded and applied (credited when paid): 200.</summary>
    Applied,

    /// <summary>Already recorded (a duplicate or a replay), or behind what is recorded: 200, nothing done, event logged.</summary>
    AlreadyKnown,

    /// <summary>The provider's own notification, but nothing to act on (unknown order, wrong amount, contradiction): 200 so it
    /// is not sent again forever, with the reason in the body and an event for operators.</summary>
    Ignored,

    /// <summary>It would change the order, but the provider's status API did not answer the challenge (an event is recorded),
    /// or challenges of the order or its sender are limited (<see cref="ChallengeGate"/>; counted, not recorded): 200, and the
    /// order, whatever its state, is due for reconciliation, which confirms it without the notification.</summary>
    Deferred,
}

public sealed record NotificationOutcome(NotificationDisposition Disposition, string Code, string Message, OrderState? State);

/// <summary>
/// Takes a notification whose signature the reader already verified, and decides what it changes. A notification is a
/// pointer, never a statement: its signature covers order_id, status_code and gross_amount but not transaction_status
/// (nor anything else), and status code 200 is shared by capture, settlement, partial_refund and refund, so a signed
/// settlement replayed with "refund" still verifies. So nothing a notification says is applied: a status already
/// recorded, or behind the recorded one, needs nothing; anything else is asked of the provider's signed status API
/// (the way the gateways tell merchants to), and the provider's answer is what is applied
/// (<see cref="NotificationChecks.Confirm"/> says whether it stood behind the notification). A refund is never taken
/// from a notification. Events are recorded once per (code, order, claimed status): a replayed signature cannot make
/// the service write without end; and the challenges it causes are bounded per order and per sender (<see cref="ChallengeGate"/>),
/// so it cannot make the service spend the merchant's status API quota without end either.
/// </summary>
public sealed class NotificationIntake(IOrderStore orders, IPaymentProvider provider, PaymentSettings settings, ChallengeGate gate, IClock clock)
{
    public const string Source = "notification";

    /// <summary>The code of a copy answered without a challenge because challenges of its order or sender are limited.</summary>
    public const string ChallengeLimited = "challenge_limited";

    /// <summary>The code of a notification whose challenge the status API did not answer in time.</summary>
    public const string ChallengeUnavailable = "challenge_unavailable";

    /// <param name="client">The sender's address key (<c>ClientAddress</c>), which the per-client challenge limit counts under.</param>
    public async Task<NotificationOutcome> ReceiveAsync(PaymentNotification n, string client, CancellationToken cancellationToken = default)
    {
        if (!OrderId.TryParse(n.OrderId, out var id)) return await IgnoreAsync(n, NotificationChecks.UnknownOrder(n.OrderId), cancellationToken).ConfigureAwait(false);
        var order = await orders.GetAsync(id.Value, cancellationToken).ConfigureAwait(false);
        if (order is null) return await IgnoreAsync(n, NotificationChecks.UnknownOrder(n.OrderId), cancellationToken).ConfigureAwait(false);
        if (NotificationChecks.MatchOrder(n, order.Id.Value, order.Total) is { } mismatch) return await IgnoreAsync(n, mismatch, cancellationToken).ConfigureAwait(false);

        // The notification's word decides only whether the provider needs asking: a read, no lock, nothing written.
        var claimed = await ClaimAsync(order, n, cancellationToken).ConfigureAwait(false);
        if (claimed.Verdict != ReportVerdict.NeedsConfirmation) return await OutcomeAsync(n, claimed, cancellationToken).ConfigureAwait(false);

        var ticket = gate.TryEnter(order.Id.Value, client, mayWait: true, out var refusal);
        if (ticket is null && refusal!.InFlight is { } running)
        {
            // Another copy's challenge of this order runs: wait for it (bounded), then judge the claim on what it recorded.
            await WaitAsync(running, cancellationToken).ConfigureAwait(false);
            order = await orders.GetAsync(id.Value, cancellationToken).ConfigureAwait(false) ?? order;
            claimed = await ClaimAsync(order, n, cancellationToken).ConfigureAwait(false);
            if (claimed.Verdict != ReportVerdict.NeedsConfirmation) return await OutcomeAsync(n, claimed, cancellationToken).ConfigureAwait(false);
            ticket = gate.TryEnter(order.Id.Value, client, mayWait: false, out refusal);
        }

        if (ticket is null) return await DeferAsync(n, order, refusal!, cancellationToken).ConfigureAwait(false);
        using var admitted = ticket;
        var (challenged, unconfirmed) = await ChallengeAsync(n, id.Value, claimed, cancellationToken).ConfigureAwait(false);
        // Only a claim the provider stood behind is free for its sender (the provider's own notifications are).
        if (unconfirmed is null && challenged.Code != ChallengeUnavailable) admitted.Confirmed();
        if (unconfirmed is not null && challenged.Verdict != ReportVerdict.Applied)
        {
            // The provider does not stand behind the notification and its own answer changed nothing: nothing to do.
            return await IgnoreAsync(n, unconfirmed, cancellationToken).ConfigureAwait(false);
        }

        if (unconfirmed is not null) await RecordAsync(n, unconfirmed, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(n, challenged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Not challenged now: the order is left to reconciliation, which asks the provider once for every copy deferred
    /// (<see cref="IOrderStore.DeferToReconciliationAsync"/> writes only when no earlier check is due). No event: a flood
    /// of copies is counted on the node (<see cref="ChallengeGate.RefusedByReason"/>), not written.
    /// </summary>
    private async Task<NotificationOutcome> DeferAsync(PaymentNotification n, Order order, ChallengeRefusal refusal, CancellationToken cancellationToken)
    {
        await orders.DeferToReconciliationAsync(order.Id, refusal.AskAt, cancellationToken).ConfigureAwait(false);
        return new NotificationOutcome(NotificationDisposition.Deferred, ChallengeLimited,
            $"status {n.Status.ToWire()} of order {n.OrderId} is not asked of the provider now ({refusal.Reason}); reconciliation asks by {refusal.AskAt:O}",
            order.State);
    }

    /// <summary>
    /// What the rules make of the notification's claim on the order as last read: a duplicate or a stale status needs
    /// nothing; anything else needs the provider. A read outside the order's lock may be behind, which at worst costs a
    /// status call (orders only move forward).
    /// </summary>
    private async Task<ApplyResult> ClaimAsync(Order order, PaymentNotification n, CancellationToken cancellationToken)
    {
        var inbox = await orders.InboxAsync(order.Id, cancellationToken).ConfigureAwait(false);
        // Paid is not needed to judge an unconfirmed claim (only which statuses the inbox holds).
        var statements = new OrderStatements([.. inbox.Where(i => i.Provider == settings.ProviderName).Select(i => new RecordedStatus(i.Status, false, i.Confirmed))]);
        var claim = OrderRules.Decide(order, ProviderReport.FromNotification(settings.ProviderName, order.Id, n), statements);
        return new ApplyResult(claim.Verdict, order, Code: claim.Code, Message: claim.Message);
    }

    /// <summary>Waits for another copy's challenge to end, at most as long as a challenge may take.</summary>
    private async Task WaitAsync(Task running, CancellationToken cancellationToken)
    {
        try
        {
            await running.WaitAsync(settings.ChallengeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// Asks the status API and applies its answer; also returns why the notification itself was not confirmed (it
    /// overstates: a replay of a status the provider moved away from, or a forgery with a borrowed signature).
    /// </summary>
    private async Task<(ApplyResult Result, Error? Unconfirmed)> ChallengeAsync(PaymentNotification n, OrderId id, ApplyResult pending, CancellationToken cancellationToken)
    {
        Result<ProviderTransaction> truth;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(settings.ChallengeTimeout);
            try
            {
                truth = await provider.GetStatusAsync(id.Value, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                truth = new Error(PaymentErrors.ProviderUnavailable, $"the status API did not answer within {settings.ChallengeTimeout.TotalSeconds} s");
            }
        }

        if (!truth.IsOk)
        {
            // Not now: reconciliation asks again right away (and keeps asking with backoff), so the payment is credited
            // without this notification; answering 200 stops the provider from resending what we cannot use yet.
            await orders.DeferToReconciliationAsync(id, clock.UtcNow, cancellationToken).ConfigureAwait(false);
            return (new ApplyResult(ReportVerdict.NeedsConfirmation, pending.Order, Code: ChallengeUnavailable,
                Message: $"{pending.Message}; the provider's status API did not confirm it: {truth.Error}"), null);
        }

        // Whatever the notification claimed, the provider's answer is the truth, and applying it is always right.
        var confirmed = NotificationChecks.Confirm(n, truth.Value);
        var applied = await orders.ApplyAsync(ProviderReport.FromTruth(settings.ProviderName, id, truth.Value, ReportSource.Notification, n.NotificationId),
            cancellationToken).ConfigureAwait(false);
        return (applied, confirmed.IsOk ? null : confirmed.Error);
    }

    private async Task<NotificationOutcome> OutcomeAsync(PaymentNotification n, ApplyResult result, CancellationToken cancellationToken)
    {
        var state = result.Order?.State;
        switch (result.Verdict)
        {
            case ReportVerdict.Applied:
                if (result.Code is { } note) await RecordAsync(n, new Error(note, result.Message ?? note), cancellationToken).ConfigureAwait(false);
                return new NotificationOutcome(NotificationDisposition.Applied, "applied", $"order {n.OrderId} is {state?.ToWire()}", state);
            case ReportVerdict.Duplicate:
                await RecordAsync(n, new Error("duplicate", $"status {n.Status.ToWire()} of order {n.OrderId} was already recorded"), cancellationToken).ConfigureAwait(false);
                return new NotificationOutcome(NotificationDisposition.AlreadyKnown, "duplicate", "already recorded", state);
            case ReportVerdict.Stale:
                await RecordAsync(n, new Error(result.Code ?? PaymentErrors.StatusBackwards, result.Message ?? "stale"), cancellationToken).ConfigureAwait(false);
                return new NotificationOutcome(NotificationDisposition.AlreadyKnown, result.Code ?? PaymentErrors.StatusBackwards, result.Message ?? "stale", state);
            case ReportVerdict.NeedsConfirmation:
                await RecordAsync(n, new Error(result.Code ?? ChallengeUnavailable, result.Message ?? "unconfirmed"), cancellationToken).ConfigureAwait(false);
                return new NotificationOutcome(NotificationDisposition.Deferred, result.Code ?? ChallengeUnavailable, result.Message ?? "", state);
            default:
                return await IgnoreAsync(n, new Error(result.Code ?? "refused", result.Message ?? "refused"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NotificationOutcome> IgnoreAsync(PaymentNotification n, Error why, CancellationToken cancellationToken)
    {
        await RecordAsync(n, why, cancellationToken).ConfigureAwait(false);
        return new NotificationOutcome(NotificationDisposition.Ignored, why.Code, why.Message, null);
    }

    /// <summary>
    /// Once per (code, order, claimed status): the signature pins the order (and the amount and status code), so replays
    /// of one signed notification, whatever else they change, add at most one event per status they may claim.
    /// </summary>
    private Task RecordAsync(PaymentNotification n, Error why, CancellationToken cancellationToken)
    {
        var orderId = Cut(n.OrderId, PaymentEvent.MaxOrderIdLength);
        return orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, Source, why.Code, Cut(why.Message, 500), orderId, n.Status.ToWire(),
            n.NotificationId is null ? null : Cut(n.NotificationId, 100), DedupeKey: $"{Source}:{why.Code}:{orderId}:{n.Status.ToWire()}"), cancellationToken);
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
