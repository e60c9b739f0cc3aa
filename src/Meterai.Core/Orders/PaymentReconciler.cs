using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>What one reconciliation pass did (for logs and the bench).</summary>
public sealed record ReconciliationPass(int Checked, int Credited, int Expired, int ProviderErrors, int RefundsCompleted, SettlementMatch? Settlement);

/// <summary>
/// The reconciliation worker's logic (the server hosts it on every node): orders that have waited for a payment longer
/// than <see cref="PaymentSettings.PendingCheckAfter"/> are checked with the provider's status API and settled ones
/// credited through the same one transaction as a notification (an inbox row of source "reconciliation"); unpaid ones
/// past their expiry are expired on the provider's word; paid orders whose credit failed are credited again;
/// refunds whose provider half is outstanding are completed; and, one node at a time (a lease), the settlement report
/// is matched. An order in any state whose notification could not be confirmed when it came (<see cref="Order.RecheckAt"/>:
/// the status API did not answer, or challenges were limited) is claimed the same way and asked about, so a refund made
/// at the provider or a late payment notified during an outage is confirmed once the provider is back. Keeps no state of its own: every claim is in the database (lease rows, SKIP LOCKED), so any number of
/// nodes may run it and a node killed mid-pass loses nothing.
/// </summary>
public sealed class PaymentReconciler(IOrderStore orders, OrderService service, IPaymentProvider provider, PaymentSettings settings, IClock clock, string node)
{
    public const string SettlementLease = "settlement-report";

    /// <summary>One pass over everything due now.</summary>
    public async Task<ReconciliationPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        int @checked = 0, credited = 0, expired = 0, errors = 0;
        while (true)
        {
            var due = await orders.ClaimDueAsync(clock.UtcNow, settings.ClaimBatch, settings.ClaimLease, cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = settings.ReconcileConcurrency, CancellationToken = cancellationToken },
                async (order, ct) =>
                {
                    var outcome = await CheckAsync(order, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref @checked);
                    if (outcome == CheckOutcome.Credited) Interlocked.Increment(ref credited);
                    if (outcome == CheckOutcome.Expired) Interlocked.Increment(ref expired);
                    if (outcome == CheckOutcome.ProviderError) Interlocked.Increment(ref errors);
                }).ConfigureAwait(false);
            // A short batch: nothing more is due (or other nodes hold it).
            if (due.Count < settings.ClaimBatch) break;
        }

        var refunds = await CompleteRefundsAsync(cancellationToken).ConfigureAwait(false);
        SettlementMatch? settlement = null;
        var now = clock.UtcNow;
        // The lease covers the work (a node that dies mid-report frees it after a while); completing pushes it to the next run.
        if (await orders.TryAcquireLeaseAsync(SettlementLease, node, now, Max(settings.ClaimLease, TimeSpan.FromMinutes(5)), cancellationToken).ConfigureAwait(false))
        {
            settlement = await new SettlementMatcher(orders, provider, settings, clock).MatchAsync(cancellationToken).ConfigureAwait(false);
            if (settlement.Complete) await orders.CompleteLeaseAsync(SettlementLease, node, clock.UtcNow, clock.UtcNow + settings.SettlementInterval, cancellationToken).ConfigureAwait(false);
        }

        return new ReconciliationPass(@checked, credited, expired, errors, refunds, settlement);
    }

    private enum CheckOutcome
    {
        Unchanged,
        Credited,
        Expired,
        ProviderError,
    }

    private async Task<CheckOutcome> CheckAsync(Order order, CancellationToken cancellationToken)
    {
        var result = await service.ReconcileAsync(order, ReportSource.Reconciliation, cancellationToken).ConfigureAwait(false);
        var now = clock.UtcNow;
        if (order.RecheckAt is { } claimed)
        {
            // A deferred notification's claim: done once the provider answered (an order it never saw has nothing to confirm).
            var answered = result.IsOk || result.Error.Code is PaymentErrors.TransactionNotFound or PaymentErrors.ProviderRejected;
            await orders.EndRecheckAsync(order.Id, claimed, answered ? null : now + NextCheckIn(order.Checks), cancellationToken).ConfigureAwait(false);
        }

        var open = order.State == OrderState.Paid || order.State.AwaitsPayment();
        if (!result.IsOk)
        {
            if (open) await orders.RescheduleAsync(order.Id, now + NextCheckIn(order.Checks), cancellationToken).ConfigureAwait(false);
            return CheckOutcome.ProviderError;
        }

        var after = result.Value.Order ?? order;
        if (after.State == OrderState.Paid || after.State.AwaitsPayment())
        {
            // Still open: look again after a growing pause, but not long after the expiry, which is when it ends.
            var next = now + NextCheckIn(order.Checks);
            if (after.State.AwaitsPayment() && now < after.ExpiresAt + settings.ExpiryGrace && next > after.ExpiresAt + settings.ExpiryGrace)
            {
                next = after.ExpiresAt + settings.ExpiryGrace;
            }

            await orders.RescheduleAsync(order.Id, next, cancellationToken).ConfigureAwait(false);
            return CheckOutcome.Unchanged;
        }

        if (result.Value.Credited && order.State != after.State) return CheckOutcome.Credited;
        return after.State == OrderState.Expired && order.State != OrderState.Expired ? CheckOutcome.Expired : CheckOutcome.Unchanged;
    }

    /// <summary>The pause before the next look at an order checked <paramref name="checks"/> times.</summary>
    private TimeSpan NextCheckIn(int checks) => OrderService.Backoff(Math.Max(1, checks), settings.CheckBackoffBase, settings.CheckBackoffCap);

    private async Task<int> CompleteRefundsAsync(CancellationToken cancellationToken)
    {
        var completed = 0;
        var due = await orders.ClaimDueRefundsAsync(clock.UtcNow, settings.ClaimBatch, settings.ClaimLease, cancellationToken).ConfigureAwait(false);
        foreach (var refund in due)
        {
            var after = await service.CompleteRefundAsync(refund, cancellationToken).ConfigureAwait(false);
            if (after.State == RefundState.Completed) completed++;
        }

        return completed;
    }

    /// <summary>Runs a pass every <paramref name="interval"/> until cancelled; a failed pass (database or provider down) is reported and retried next time.</summary>
    public async Task RunAsync(TimeSpan interval, Action<ReconciliationPass>? onPass = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                var pass = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                onPass?.Invoke(pass);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(e);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
