using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>A placed order, and whether it was placed by an earlier request with the same Idempotency-Key.</summary>
public sealed record OrderPlacement(Order Order, bool Replayed);

/// <summary>
/// Selling stamps: placing an order and charging it, the manual re-check, refunds of unused stamps. The order is
/// recorded before anything is charged, and its id is the provider's order id, so a crash anywhere leaves an order
/// that a retry (same Idempotency-Key) or reconciliation finishes, never a charge we do not know about.
/// </summary>
public sealed class OrderService(IOrderStore orders, ILedgerStore ledger, IPriceList prices, IPaymentProvider provider, PaymentSettings settings, IClock clock)
{
    public PaymentSettings Settings => settings;

    /// <summary>
    /// Places (or, for a repeated Idempotency-Key, finds) the order and makes sure it is charged: the answer carries
    /// what the buyer pays with. A provider that does not answer leaves the order <c>created</c> and returns
    /// <c>provider_unavailable</c>; the same request again charges it (the provider's charge is idempotent by order id).
    /// </summary>
    public async Task<Result<OrderPlacement>> PlaceAsync(OrderRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Validate(settings.MaxQuantity) is { } invalid) return invalid;
        var now = clock.UtcNow;
        var stock = QuotaAccounts.IssuerStock;
        var price = await prices.PriceForAsync(request.ChannelId, cancellationToken).ConfigureAwait(false);
        var candidate = new NewOrder(OrderId.New(), request.Buyer, request.ChannelId, request.Quantity, price, request.Method, request.Bank,
            request.IdempotencyKey, stock.Id, now, now + settings.OrderExpiry, now + settings.PendingCheckAfter);

        Order order;
        var existing = request.IdempotencyKey is null
            ? null
            : await orders.FindByIdempotencyKeyAsync(request.Buyer, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            // A soft check: concurrent orders may still together exceed the stock; such a paid order then waits as
            // "paid but not credited" (visible to operators) until the issuer mints more.
            var accounts = await ledger.LookupAccountsAsync([stock.Id], cancellationToken).ConfigureAwait(false);
            if (accounts.Count == 0 || accounts[0].Available < request.Quantity)
            {
                return new Error(OrderErrors.OutOfStock, $"the issuer has {(accounts.Count == 0 ? 0 : accounts[0].Available)} stamps in stock, fewer than {request.Quantity}");
            }

            // The buyer's account exists before the order does, so a credit never fails for want of it.
            var created = await ledger.CreateAccountsAsync([request.Buyer.QuotaAccount()], cancellationToken).ConfigureAwait(false);
            if (!created[0].IsCommitted()) throw new InvalidOperationException($"the buyer's quota account cannot be created: {created[0].Code()}");
            var stored = await orders.CreateAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!stored.IsOk) return stored.Error;
            order = stored.Value;
        }
        else
        {
            if (!candidate.SameRequestAs(existing)) return ReusedKey(existing);
            order = existing;
        }

        var replayed = order.Id != candidate.Id;
        if (order.State != OrderState.Created) return new OrderPlacement(order, replayed);
        var charged = await ChargeAsync(order, cancellationToken).ConfigureAwait(false);
        return charged.IsOk ? new OrderPlacement(charged.Value, replayed) : charged.Error;
    }

    private static Error ReusedKey(Order existing) =>
        new(OrderErrors.IdempotencyKeyReused, $"this Idempotency-Key was used for order {existing.Id} with another quantity, method or channel");

    private async Task<Result<Order>> ChargeAsync(Order order, CancellationToken cancellationToken)
    {
        var left = order.ExpiresAt - clock.UtcNow;
        if (left < TimeSpan.FromSeconds(1))
        {
            return new Error(OrderErrors.OrderExpired, $"order {order.Id} expired at {order.ExpiresAt:O} before it could be charged; place a new order");
        }

        var charge = await provider.ChargeAsync(new ChargeRequest(order.Id.Value, order.Total, order.Method, left, order.Bank), cancellationToken)
            .ConfigureAwait(false);
        if (!charge.IsOk) return charge.Error;
        var c = charge.Value;
        // The charge answer of a new charge says pending: recorded as the provider's word. Anything else (a retried
        // charge the buyer already paid) is checked with the signed status API like every other payment.
        var report = new ProviderReport(settings.ProviderName, order.Id, TransactionStatus.Pending, FraudStatus.Accept, c.Amount, c.TransactionId,
            ReportSource.Charge, Confirmed: true, Charge: OrderCharge.From(c));
        var applied = await orders.ApplyAsync(report, cancellationToken).ConfigureAwait(false);
        if (c.Status != TransactionStatus.Pending) return await RecheckAsync(order.Id, ReportSource.Reconciliation, cancellationToken).ConfigureAwait(false);
        return applied.Order ?? order;
    }

    /// <summary>
    /// Asks the provider's status API about the order and applies the answer in the one transaction (crediting it when
    /// paid); a paid order whose credit did not go through is credited again; an order whose state no confirmed
    /// statement of the provider backs (the audit's orders_agree_with_provider) is repaired to what the provider's answer
    /// and the books say (<see cref="OrderRules.Rebase"/>). The operator's manual re-check.
    /// </summary>
    public async Task<Result<Order>> RecheckAsync(OrderId id, ReportSource source = ReportSource.Recheck, CancellationToken cancellationToken = default)
    {
        var order = await orders.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (order is null) return NotFound(id);
        var outcome = await ReconcileAsync(order, source, cancellationToken).ConfigureAwait(false);
        if (!outcome.IsOk) return outcome.Error;
        return await orders.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? order;
    }

    /// <summary>
    /// One order's reconciliation: the provider's truth applied (or, past the expiry and grace, "never charged"
    /// expires it), then the credit retried when the order is paid but not credited. Errors are the provider's
    /// (unavailable, …): nothing was changed.
    /// </summary>
    internal async Task<Result<ApplyResult>> ReconcileAsync(Order order, ReportSource source, CancellationToken cancellationToken)
    {
        ApplyResult result;
        // A paid order waits for its credit, not for the provider (unless a notification about it awaits confirmation).
        if (order.State == OrderState.Paid && order.RecheckAt is null)
        {
            await EnsureAccountsAsync(order, cancellationToken).ConfigureAwait(false);
            return await orders.RetryCreditAsync(order.Id, cancellationToken).ConfigureAwait(false);
        }

        var truth = await provider.GetStatusAsync(order.Id.Value, cancellationToken).ConfigureAwait(false);
        if (truth.IsOk)
        {
            result = await orders.ApplyAsync(ProviderReport.FromTruth(settings.ProviderName, order.Id, truth.Value, source), cancellationToken).ConfigureAwait(false);
        }
        else if (truth.Error.Code == PaymentErrors.TransactionNotFound && order.State.AwaitsPayment() && clock.UtcNow > order.ExpiresAt + settings.ExpiryGrace)
        {
            // Never charged (the charge's answer was lost and no retry came) and past the expiry: nobody can pay it now.
            var expire = new ProviderReport(settings.ProviderName, order.Id, TransactionStatus.Expire, null, order.Total, null, source, Confirmed: true,
                Note: "transaction_not_found past the expiry: never charged");
            result = await orders.ApplyAsync(expire, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return truth.Error;
        }

        // Refusals, and what an applied answer flags for operators (a repair, a late payment, a refund made at the provider).
        if (result.Verdict is ReportVerdict.Refused or ReportVerdict.Applied && result.Code is { } code)
        {
            await orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, source.ToWire(), code, result.Message ?? code, order.Id.Value,
                truth.IsOk ? truth.Value.Status.ToWire() : null, DedupeKey: $"{source.ToWire()}:{code}:{order.Id}:{(truth.IsOk ? truth.Value.Status.ToWire() : "")}"), cancellationToken).ConfigureAwait(false);
        }

        if (result.Order is { State: OrderState.Paid })
        {
            await EnsureAccountsAsync(result.Order, cancellationToken).ConfigureAwait(false);
            return await orders.RetryCreditAsync(order.Id, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The accounts a credit needs (created idempotently: a credit that failed for want of one can then go through).</summary>
    private async Task EnsureAccountsAsync(Order order, CancellationToken cancellationToken)
    {
        var stock = QuotaAccounts.IssuerStock;
        NewAccount[] accounts = order.StockAccountId == stock.Id ? [stock, order.Buyer.QuotaAccount()] : [order.Buyer.QuotaAccount()];
        await ledger.CreateAccountsAsync(accounts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refunds <paramref name="quantity"/> unused stamps of a fulfilled order: the stamps are taken back from the buyer
    /// (refused with <c>quota_already_used</c> when they were spent) and recorded in one transaction, then the
    /// provider refunds the money (the same refund key on every retry). When the provider does not answer, the refund
    /// stays <c>reversed</c> and the reconciliation worker completes it.
    /// </summary>
    /// <param name="clientKey">The client's Idempotency-Key: the same key on the same order is the same refund.</param>
    public async Task<Result<OrderRefund>> RefundAsync(OrderId id, int quantity, string? clientKey, string? reason, string? requestedBy,
        CancellationToken cancellationToken = default)
    {
        if (clientKey is not null && !OrderRequest.IsValidKey(clientKey)) return new Error(OrderErrors.IdempotencyKeyInvalid, $"an idempotency key is 1-{OrderRequest.MaxIdempotencyKeyLength} printable ASCII characters");
        if (reason is { Length: > 200 }) reason = reason[..200];
        var order = await orders.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (order is null) return NotFound(id);
        var refundId = clientKey is null ? RefundIds.New() : RefundIds.For(id, clientKey);
        var amount = new Rupiah(checked(order.Price.Unit.Value * quantity));
        var reversed = await orders.RefundAsync(new NewRefund(refundId, id, quantity, reason, requestedBy, clock.UtcNow), amount, cancellationToken)
            .ConfigureAwait(false);
        if (!reversed.IsOk) return reversed.Error;
        if (reversed.Value.State != RefundState.Reversed) return reversed.Value;
        return await CompleteRefundAsync(reversed.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Step two of a refund: the provider's refund, recorded; shared with the reconciliation worker.</summary>
    internal async Task<OrderRefund> CompleteRefundAsync(OrderRefund refund, CancellationToken cancellationToken)
    {
        var receipt = await provider.RefundAsync(new RefundRequest(refund.OrderId.Value, refund.Amount, refund.Id, refund.Reason), cancellationToken)
            .ConfigureAwait(false);
        if (receipt.IsOk) return await orders.CompleteRefundAsync(refund.Id, receipt.Value, cancellationToken).ConfigureAwait(false);
        if (receipt.Error.Code is PaymentErrors.ProviderUnavailable or PaymentErrors.ProviderProtocol or PaymentErrors.ProviderUnauthorized)
        {
            // Worth another try later (the refund key makes a retry safe); an operator sees the refund outstanding meanwhile.
            var attempts = refund.Attempts + 1;
            var wait = Backoff(attempts, settings.CheckBackoffBase, settings.CheckBackoffCap);
            await orders.RescheduleRefundAsync(refund.Id, clock.UtcNow + wait, receipt.Error.ToString(), cancellationToken).ConfigureAwait(false);
            return await orders.GetRefundAsync(refund.Id, cancellationToken).ConfigureAwait(false) ?? refund;
        }

        await orders.RecordEventAsync(new PaymentEvent(clock.UtcNow, "refund", receipt.Error.Code, receipt.Error.Message, refund.OrderId.Value,
            DedupeKey: $"refund:{refund.Id}"), cancellationToken).ConfigureAwait(false);
        return await orders.FailRefundAsync(refund.Id, receipt.Error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>min(cap, base·2^(n−1)): how long to wait before the n-th retry.</summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan @base, TimeSpan cap)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(cap.Ticks, @base.Ticks * factor));
        return wait < TimeSpan.Zero ? cap : wait;
    }

    private static Error NotFound(OrderId id) => new(OrderErrors.OrderNotFound, $"no order {id}");
}
