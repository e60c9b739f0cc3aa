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

    /// <summary>It would credit, but the provider's status API did not answer the challenge: 200 (the event is recorded and the
    /// order is due for reconciliation now, which confirms and credits it without the notification).</summary>
    Deferred,
}

public sealed record NotificationOutcome(NotificationDisposition Disposition, string Code, string Message, OrderState? State);

/// <summary>
/// Takes a notification whose signature the reader already verified, and decides what it changes. Nothing is credited
/// on a notification's word alone: one that would credit (or contradicts what we recorded) is challenged with the
/// provider's signed status API (<see cref="NotificationChecks.Confirm"/>), and the provider's answer is what is
/// applied. Why every crediting notification is challenged: the signature covers order_id, status_code and
/// gross_amount but not transaction_status, and status_code 200 is shared by capture, settlement, partial_refund and
/// refund, so a signed notification does not pin the status it claims.
/// </summary>
public sealed class NotificationIntake(IOrderStore orders, IPaymentProvider provider, PaymentSettings settings, IClock clock)
{
    public const string Source = "notification";

    public async Task<NotificationOutcome> ReceiveAsync(PaymentNotification n, CancellationToken cancellationToken = default)
    {
        if (!OrderId.TryParse(n.OrderId, out var id)) return await IgnoreAsync(n, NotificationChecks.UnknownOrder(n.OrderId), cancellationToken).ConfigureAwait(false);
        var order = await orders.GetAsync(id.Value, cancellationToken).ConfigureAwait(false);
        if (order is null) return await IgnoreAsync(n, NotificationChecks.UnknownOrder(n.OrderId), cancellationToken).ConfigureAwait(false);
        if (NotificationChecks.MatchOrder(n, order.Id.Value, order.Total) is { } mismatch) return await IgnoreAsync(n, mismatch, cancellationToken).ConfigureAwait(false);

        var result = await orders.ApplyAsync(ProviderReport.FromNotification(settings.ProviderName, id.Value, n), cancellationToken).ConfigureAwait(false);
        if (result.Verdict != ReportVerdict.NeedsConfirmation) return await OutcomeAsync(n, result, cancellationToken).ConfigureAwait(false);

        var (challenged, unconfirmed) = await ChallengeAsync(n, id.Value, result, cancellationToken).ConfigureAwait(false);
        if (unconfirmed is not null && challenged.Verdict != ReportVerdict.Applied)
        {
            // The provider does not stand behind the notification and its own answer changed nothing: nothing to do.
            return await IgnoreAsync(n, unconfirmed, cancellationToken).ConfigureAwait(false);
        }

        if (unconfirmed is not null) await RecordAsync(n, unconfirmed, cancellationToken).ConfigureAwait(false);
        return await OutcomeAsync(n, challenged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a notification the reader refused (malformed, forged) so operators see it; the endpoint answers 4xx.</summary>
    public Task RecordRejectedAsync(Error error, string? orderId, CancellationToken cancellationToken = default) =>
        orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, Source, error.Code, Cut(error.Message, 500), orderId is null ? null : Cut(orderId, PaymentEvent.MaxOrderIdLength)),
            cancellationToken);

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
            await orders.RescheduleAsync(id, clock.UtcNow, cancellationToken).ConfigureAwait(false);
            return (new ApplyResult(ReportVerdict.NeedsConfirmation, pending.Order, Code: "challenge_unavailable",
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
                await RecordAsync(n, new Error(result.Code ?? "challenge_unavailable", result.Message ?? "unconfirmed"), cancellationToken).ConfigureAwait(false);
                return new NotificationOutcome(NotificationDisposition.Deferred, result.Code ?? "challenge_unavailable", result.Message ?? "", state);
            default:
                return await IgnoreAsync(n, new Error(result.Code ?? "refused", result.Message ?? "refused"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NotificationOutcome> IgnoreAsync(PaymentNotification n, Error why, CancellationToken cancellationToken)
    {
        await RecordAsync(n, why, cancellationToken).ConfigureAwait(false);
        return new NotificationOutcome(NotificationDisposition.Ignored, why.Code, why.Message, null);
    }

    private Task RecordAsync(PaymentNotification n, Error why, CancellationToken cancellationToken) =>
        orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, Source, why.Code, Cut(why.Message, 500), Cut(n.OrderId, PaymentEvent.MaxOrderIdLength),
            n.Status.ToWire(), n.NotificationId is null ? null : Cut(n.NotificationId, 100)), cancellationToken);

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
