using Meterai.Core.Common;

namespace Meterai.Core.Orders;

/// <summary>One order's recheck: its state before and after, or why it could not be rechecked (the provider did not answer, …).</summary>
public sealed record RecheckOutcome(string OrderId, OrderState? Before, OrderState? After, Error? Error);

/// <summary>A pass over the orders the audit flags: what was rechecked, and which of them the audit still flags afterwards.</summary>
public sealed record RecheckPass(IReadOnlyList<RecheckOutcome> Rechecked, IReadOnlyList<string> StillBroken);

/// <summary>
/// The operator's rechecks of many orders at once: named ones (say, those <c>meterai audit --provider-url</c> found
/// disagreeing with the provider), or every order the audit's invariants that a recheck repairs flag
/// (<see cref="PaymentInvariant.RepairedByRecheck"/>). Each is <see cref="OrderService.RecheckAsync"/>: the provider's
/// status API asked and its answer applied in the one transaction under the order's lock, so it is idempotent and safe
/// from any number of nodes or operators at once (a second recheck finds nothing to change).
/// </summary>
public sealed class OrderRechecks(IOrderStore orders, OrderService service, PaymentSettings settings)
{
    /// <summary>Most orders one call rechecks.</summary>
    public const int MaxPerCall = 500;

    public async Task<IReadOnlyList<RecheckOutcome>> RecheckAsync(IReadOnlyList<string> orderIds, CancellationToken cancellationToken = default)
    {
        var outcomes = new RecheckOutcome[orderIds.Count];
        await Parallel.ForAsync(0, orderIds.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.ReconcileConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await RecheckOneAsync(orderIds[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>Rechecks up to <paramref name="limit"/> of the orders the audit flags as a recheck would repair, then audits again.</summary>
    public async Task<RecheckPass> RecheckBrokenAsync(int limit, CancellationToken cancellationToken = default)
    {
        var broken = await BrokenAsync(limit, cancellationToken).ConfigureAwait(false);
        var rechecked = await RecheckAsync(broken, cancellationToken).ConfigureAwait(false);
        return new RecheckPass(rechecked, await BrokenAsync(limit, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<string>> BrokenAsync(int limit, CancellationToken cancellationToken)
    {
        var audit = await orders.AuditAsync(limit, cancellationToken).ConfigureAwait(false);
        return [.. audit.Where(c => !c.Holds && PaymentInvariant.RepairedByRecheck.Contains(c.Name)).SelectMany(c => c.FirstBroken ?? []).Distinct().Order(StringComparer.Ordinal).Take(limit)];
    }

    private async Task<RecheckOutcome> RecheckOneAsync(string orderId, CancellationToken cancellationToken)
    {
        var before = OrderId.TryParse(orderId, out var id) ? await orders.GetAsync(id.Value, cancellationToken).ConfigureAwait(false) : null;
        if (before is null) return new RecheckOutcome(orderId, null, null, new Error(OrderErrors.OrderNotFound, $"no order {orderId}"));
        var after = await service.RecheckAsync(before.Id, ReportSource.Recheck, cancellationToken).ConfigureAwait(false);
        return after.IsOk ? new RecheckOutcome(orderId, before.State, after.Value.State, null) : new RecheckOutcome(orderId, before.State, before.State, after.Error);
    }
}
