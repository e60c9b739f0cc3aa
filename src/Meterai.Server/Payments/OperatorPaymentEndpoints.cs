using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Orders;
using Meterai.Server.Api;
using Meterai.Server.Identity;

namespace Meterai.Server.Payments;

/// <summary>
/// The operator's side of payments: orders by state, one order with its inbox, refunds and events, the payment events,
/// the health figures with "paid but not credited" (must stay zero). Auditors read; issuer admins also act (the manual
/// re-check through the provider's status API, refunds).
/// </summary>
internal static class OperatorPaymentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var op = app.MapGroup("/api/v1/operator").WithTags("Operator: payments");

        op.MapGet("/orders", async (IOrderStore store, string? state, int? offset, int? limit, CancellationToken ct) =>
            {
                OrderState? filter = null;
                if (state is not null)
                {
                    if (!OrderStateNames.TryParse(state, out var parsed)) return ApiProblem.Field("state_invalid", "state", "state is one of " + string.Join(", ", OrderStateNames.All.Select(s => s.ToWire())));
                    filter = parsed;
                }

                var (o, l) = OrderEndpoints.Page(offset, limit);
                var counts = await store.CountByStateAsync(ct);
                var orders = await store.ListByStateAsync(filter, o, l, ct);
                return Results.Ok(new OrderPageResponse(counts.ToDictionary(c => c.Key.ToWire(), c => c.Value), state, o, l, orders.Select(x => OrderResponse.From(x, true))));
            })
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("Order counts by state, and a page of orders (of one state when given), newest first (auditor, issuer admin)")
            .Produces<OrderPageResponse>()
            .Problems(400, "state_invalid").Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden);

        op.MapGet("/orders/{id}", async (string id, IOrderStore store, CancellationToken ct) =>
            {
                if (!OrderId.TryParse(id, out var orderId) || await store.GetAsync(orderId.Value, ct) is not { } order) return PaymentsApi.OrderNotFound();
                var inbox = await store.InboxAsync(order.Id, ct);
                var refunds = await store.RefundsAsync(order.Id, ct);
                var events = await store.EventsAsync(order.Id.Value, 100, ct);
                return Results.Ok(new OrderDetailResponse(OrderResponse.From(order, true), inbox.Select(InboxEntryResponse.From), refunds.Select(RefundResponse.From),
                    events.Select(PaymentEventResponse.From)));
            })
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("One order with every provider status recorded for it, its refunds and its payment events (auditor, issuer admin)")
            .Produces<OrderDetailResponse>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, OrderErrors.OrderNotFound);

        op.MapPost("/orders/{id}/recheck", async (string id, OrderService service, CancellationToken ct) =>
            {
                if (!OrderId.TryParse(id, out var orderId)) return PaymentsApi.OrderNotFound();
                var order = await service.RecheckAsync(orderId.Value, ReportSource.Recheck, ct);
                return order.IsOk ? Results.Ok(OrderResponse.From(order.Value, true)) : PaymentsApi.Problem(order.Error);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Ask the provider's status API about the order now and apply its answer (credits a paid order, retries a failed credit, repairs a state the provider never confirmed) (issuer admin)")
            .Produces<OrderResponse>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, OrderErrors.OrderNotFound)
            .Problems(502, "provider_unauthorized", "provider_protocol_error", "provider_rejected").Problems(503, "provider_unavailable");

        op.MapPost("/payments/rechecks", async (RecheckRequest body, OrderRechecks rechecks, CancellationToken ct) =>
            {
                var ids = body.OrderIds ?? [];
                var limit = body.Limit ?? 100;
                if ((body.Broken == true) == ids.Length > 0 || ids.Length > OrderRechecks.MaxPerCall || limit is < 1 or > OrderRechecks.MaxPerCall)
                {
                    return ApiProblem.Of(StatusCodes.Status400BadRequest, PaymentsApi.RecheckSelectionInvalid,
                        $"give either order_ids (1-{OrderRechecks.MaxPerCall} order ids) or \"broken\": true (with a limit of 1-{OrderRechecks.MaxPerCall}, default 100)");
                }

                if (ids.Length > 0) return Results.Ok(new RecheckResponse((await rechecks.RecheckAsync(ids, ct)).Select(RecheckItemResponse.From), null));
                var pass = await rechecks.RecheckBrokenAsync(limit, ct);
                return Results.Ok(new RecheckResponse(pass.Rechecked.Select(RecheckItemResponse.From), pass.StillBroken));
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Recheck many orders with the provider's status API and apply its answers: the named ones, or (broken) those the audit's orders_agree_with_provider and paid_orders_credited flag, then the ones still flagged (issuer admin). Idempotent")
            .Produces<RecheckResponse>()
            .Problems(400, PaymentsApi.RecheckSelectionInvalid).Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden);

        op.MapPost("/orders/{id}/refunds", async (string id, RefundCreateRequest body, HttpContext http, OrderService service, CancellationToken ct) =>
            {
                var (key, missing) = IdempotencyKey.Read(http.Request);
                if (missing is not null) return missing;
                if (!OrderId.TryParse(id, out var orderId)) return PaymentsApi.OrderNotFound();
                return await OrderEndpoints.RefundAsync(service, orderId.Value, body, key!, OrderEndpoints.Who(http.Caller()), ct);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Refund unused stamps of a fulfilled order (issuer admin): reversing transfer, then the provider's refund. Idempotency-Key required")
            .Produces<RefundResponse>()
            .Problems(400, OrderErrors.QuantityInvalid, IdempotencyKey.Missing, IdempotencyKey.Invalid)
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, OrderErrors.OrderNotFound)
            .Problems(409, OrderErrors.RefundNotAllowed, OrderErrors.RefundExceedsOrder, OrderErrors.QuotaAlreadyUsed, OrderErrors.RefundKeyReused);

        op.MapGet("/payments/health", async (IOrderStore store, PaymentsConfiguration configuration, RefusedNotifications refused, ChallengeGate challenges, IClock clock, CancellationToken ct) =>
            {
                var now = clock.UtcNow;
                var s = configuration.Settings;
                // Overdue: past its expiry by longer than reconciliation needs to have settled it either way.
                var h = await store.HealthAsync(now, now - s.ExpiryGrace - s.CheckBackoffCap - s.ReconcileInterval, ct);
                var attention = h.PaidNotCredited > 0 || h.RefundsFailed > 0 || h.AwaitingPaymentOverdue > 0;
                return Results.Ok(new PaymentHealthResponse(attention ? "attention" : "ok", h.PaidNotCredited, h.OrdersByState.ToDictionary(x => x.Key.ToWire(), x => x.Value),
                    h.AwaitingPaymentOverdue, h.RefundsOutstanding, h.RefundsFailed, h.EventsLastDay, h.EventsLastDayByCode,
                    h.Workers.Select(w => new WorkerLease(w.Name, w.Holder, w.Until, w.LastCompletedAt)),
                    new ProviderInfo(s.ProviderName, configuration.Gateway.BaseAddress.ToString(), configuration.SandboxDefaults, configuration.ProviderNote),
                    refused.ByCode, challenges.RefusedByReason));
            })
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("Payments health: paid but not credited (must stay zero), orders by state, overdue orders, refunds outstanding or failed, events of the last day, workers, provider (auditor, issuer admin)")
            .Produces<PaymentHealthResponse>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden);

        op.MapGet("/payments/events", async (IOrderStore store, string? order_id, int? limit, CancellationToken ct) =>
                Results.Ok((await store.EventsAsync(order_id, Math.Clamp(limit ?? 100, 1, 1000), ct)).Select(PaymentEventResponse.From)))
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("Payment events, newest first: signed notifications ignored with their reason (once per order, status and reason), unconfirmed challenges, settlement mismatches, late payments, repairs (auditor, issuer admin)")
            .Produces<IEnumerable<PaymentEventResponse>>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden);
    }
}
