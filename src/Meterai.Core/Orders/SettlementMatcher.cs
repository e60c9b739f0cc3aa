using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>What matching the settlement reports found.</summary>
/// <param name="Complete">Every report was read (false: the provider failed; the lease lets another pass retry soon).</param>
/// <param name="Settled">Transactions in the reports.</param>
/// <param name="Credited">Orders the reports showed settled that were not credited yet, now credited.</param>
/// <param name="Mismatches">Lines that do not match an order (unknown order, another amount) and credited orders missing from a closed day's report.</param>
public sealed record SettlementMatch(bool Complete, int Settled, int Credited, int Mismatches);

/// <summary>
/// Matches the provider's daily settlement reports (today and the days before, WIB) against the orders: a settled
/// order never credited (its notification lost and reconciliation not yet there) is confirmed with the status API and
/// credited through the one transaction (source "settlement_report"); a line for an unknown order or another amount,
/// and an order we credited that a closed day's report does not hold, are recorded as events (once each) for
/// operators. Nothing is credited on the report's word alone: its lines are not signed, the status answer is.
/// </summary>
public sealed class SettlementMatcher(IOrderStore orders, IPaymentProvider provider, PaymentSettings settings, IClock clock)
{
    public const string Source = "settlement_report";

    public async Task<SettlementMatch> MatchAsync(CancellationToken cancellationToken = default)
    {
        var today = GatewayTime.WibDate(clock.UtcNow);
        int settled = 0, credited = 0, mismatches = 0;
        var complete = true;
        for (var back = 0; back < Math.Max(1, settings.SettlementDays); back++)
        {
            var day = today.AddDays(-back);
            var report = await provider.GetSettlementReportAsync(day, cancellationToken).ConfigureAwait(false);
            if (!report.IsOk)
            {
                complete = false;
                continue;
            }

            var inReport = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in report.Value.Transactions)
            {
                settled++;
                inReport.Add(line.OrderId);
                var (credit, mismatch) = await MatchLineAsync(day, line, cancellationToken).ConfigureAwait(false);
                if (credit) credited++;
                if (mismatch) mismatches++;
            }

            // A closed day: every order the provider told us settled that day must be in it.
            if (back > 0) mismatches += await MissingFromReportAsync(day, inReport, cancellationToken).ConfigureAwait(false);
        }

        return new SettlementMatch(complete, settled, credited, mismatches);
    }

    private async Task<(bool Credited, bool Mismatch)> MatchLineAsync(DateOnly day, SettledTransaction line, CancellationToken cancellationToken)
    {
        var order = OrderId.TryParse(line.OrderId, out var id) ? await orders.GetAsync(id.Value, cancellationToken).ConfigureAwait(false) : null;
        if (order is null)
        {
            await EventAsync(PaymentErrors.OrderUnknown, $"the settlement report of {day} holds order {line.OrderId}, which was never placed here", line, cancellationToken).ConfigureAwait(false);
            return (false, true);
        }

        if (line.GrossAmount != order.Total)
        {
            await EventAsync(PaymentErrors.AmountMismatch,
                $"the settlement report of {day} says {line.GrossAmount.ToGatewayString()} for order {order.Id}, which is for {order.Total.ToGatewayString()}", line, cancellationToken).ConfigureAwait(false);
            return (false, true);
        }

        if (order.State is OrderState.Fulfilled or OrderState.Refunded) return (false, false);

        // Settled but not credited here: the report is a pointer, the signed status answer is what counts.
        var truth = await provider.GetStatusAsync(order.Id.Value, cancellationToken).ConfigureAwait(false);
        if (!truth.IsOk) return (false, false);
        var result = await orders.ApplyAsync(ProviderReport.FromTruth(settings.ProviderName, order.Id, truth.Value, ReportSource.SettlementReport), cancellationToken)
            .ConfigureAwait(false);
        if (result.Order is { State: OrderState.Paid }) result = await orders.RetryCreditAsync(order.Id, cancellationToken).ConfigureAwait(false);
        return (result.Credited && result.Order?.State is OrderState.Fulfilled, false);
    }

    private async Task<int> MissingFromReportAsync(DateOnly day, HashSet<string> inReport, CancellationToken cancellationToken)
    {
        var (start, end) = GatewayTime.WibDay(day);
        var missing = 0;
        foreach (var order in await orders.SettledBetweenAsync(start, end, cancellationToken).ConfigureAwait(false))
        {
            if (inReport.Contains(order.Id.Value)) continue;
            missing++;
            await orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, Source, "settlement_missing",
                $"order {order.Id} settled on {day} by the provider's word, but the settlement report of that day does not hold it", order.Id.Value,
                DedupeKey: $"{Source}:settlement_missing:{order.Id}"), cancellationToken).ConfigureAwait(false);
        }

        return missing;
    }

    private Task EventAsync(string code, string message, SettledTransaction line, CancellationToken cancellationToken) =>
        orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, Source, code, message,
            line.OrderId.Length <= PaymentEvent.MaxOrderIdLength ? line.OrderId : line.OrderId[..PaymentEvent.MaxOrderIdLength],
            line.CurrentStatus.ToWire(), DedupeKey: $"{Source}:{code}:{line.OrderId}"), cancellationToken);
}
