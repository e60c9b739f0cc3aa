using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Orders;
using Meterai.Server.Api;
using Meterai.Server.Identity;

namespace Meterai.Server.Payments;

/// <summary>
/// A buyer's orders: an applicant (for themselves) or a channel (stock for its deposit) orders stamps, sees its own
/// orders, and asks for refunds of unused stamps. Another buyer's order is 404, not 403: its id says nothing.
/// </summary>
internal static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/orders").WithTags("Orders").RequireAuthorization(AccessPolicies.Stamper);

        orders.MapPost("", async (OrderCreateRequest body, HttpContext http, OrderService service, CancellationToken ct) =>
            {
                var (key, missing) = IdempotencyKey.Read(http.Request);
                if (missing is not null) return missing;
                if (body.Quantity is null) return ApiProblem.Field(OrderErrors.QuantityInvalid, "quantity", "quantity is the number of stamps to buy");
                if (PaymentsApi.ParseMethod(body.Method) is not { } method) return ApiProblem.Field(OrderErrors.MethodInvalid, "method", "method is qris or va");
                var caller = http.Caller();
                var placed = await service.PlaceAsync(new OrderRequest(BuyerOf(caller), caller.ChannelId, body.Quantity.Value, method, body.Bank, key), ct);
                if (!placed.IsOk) return PaymentsApi.Problem(placed.Error);
                var response = OrderResponse.From(placed.Value.Order);
                return placed.Value.Replayed ? Results.Ok(response) : Results.Created($"/api/v1/orders/{response.Id}", response);
            })
            .WithSummary("Order stamps (applicant or channel): the answer carries the charge to pay (QRIS string or VA number, pay URL, expiry). "
                         + "Idempotency-Key required: the same key answers the same order (200), charging it if an earlier attempt could not")
            .Produces<OrderResponse>(StatusCodes.Status201Created).Produces<OrderResponse>()
            .Problems(400, OrderErrors.QuantityInvalid, OrderErrors.MethodInvalid, OrderErrors.BankInvalid, IdempotencyKey.Missing, IdempotencyKey.Invalid)
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden)
            .Problems(409, OrderErrors.OutOfStock, OrderErrors.OrderExpired).Problems(422, OrderErrors.IdempotencyKeyReused)
            .Problems(502, "provider_unauthorized", "provider_protocol_error", "provider_rejected").Problems(503, "provider_unavailable");

        orders.MapGet("", async (HttpContext http, IOrderStore store, int? offset, int? limit, CancellationToken ct) =>
            {
                var (o, l) = Page(offset, limit);
                var list = await store.ListByBuyerAsync(BuyerOf(http.Caller()), o, l, ct);
                return Results.Ok(list.Select(x => OrderResponse.From(x)));
            })
            .WithSummary("The caller's orders, newest first (offset, limit ≤ 100)")
            .Produces<IEnumerable<OrderResponse>>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden);

        orders.MapGet("/{id}", async (string id, HttpContext http, IOrderStore store, CancellationToken ct) =>
                await OwnAsync(id, http, store, ct) is { } order ? Results.Ok(OrderResponse.From(order)) : PaymentsApi.OrderNotFound())
            .WithSummary("One of the caller's orders")
            .Produces<OrderResponse>()
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, OrderErrors.OrderNotFound);

        orders.MapPost("/{id}/refunds", async (string id, RefundCreateRequest body, HttpContext http, IOrderStore store, OrderService service, CancellationToken ct) =>
            {
                var (key, missing) = IdempotencyKey.Read(http.Request);
                if (missing is not null) return missing;
                if (await OwnAsync(id, http, store, ct) is not { } order) return PaymentsApi.OrderNotFound();
                return await RefundAsync(service, order.Id, body, key!, Who(http.Caller()), ct);
            })
            .WithSummary("Refund unused stamps of one of the caller's fulfilled orders: the stamps leave the caller's quota and the money goes back "
                         + "through the provider. Idempotency-Key required")
            .Produces<RefundResponse>()
            .Problems(400, OrderErrors.QuantityInvalid, IdempotencyKey.Missing, IdempotencyKey.Invalid)
            .Problems(401, PaymentsApi.TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, OrderErrors.OrderNotFound)
            .Problems(409, OrderErrors.RefundNotAllowed, OrderErrors.RefundExceedsOrder, OrderErrors.QuotaAlreadyUsed, OrderErrors.RefundKeyReused);
    }

    /// <summary>Step one of a refund (the quota) decides the answer; the provider's half completes now or by the worker.</summary>
    internal static async Task<IResult> RefundAsync(OrderService service, OrderId id, RefundCreateRequest body, string key, string who, CancellationToken ct)
    {
        if (body.Quantity is not { } quantity) return ApiProblem.Field(OrderErrors.QuantityInvalid, "quantity", "quantity is the number of unused stamps to refund");
        var refund = await service.RefundAsync(id, quantity, key, body.Reason, who, ct);
        return refund.IsOk ? Results.Ok(RefundResponse.From(refund.Value)) : PaymentsApi.Problem(refund.Error);
    }

    internal static Buyer BuyerOf(Principal caller) => caller.IsChannel ? Buyer.Channel(caller.Id) : Buyer.Applicant(caller.Id);

    internal static string Who(Principal caller) => $"{caller.Kind.ToString().ToLowerInvariant()}:{PublicId.Format(caller.Id)}";

    internal static (int Offset, int Limit) Page(int? offset, int? limit) => (Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 20, 1, 100));

    private static async Task<Order?> OwnAsync(string id, HttpContext http, IOrderStore store, CancellationToken ct)
    {
        if (!OrderId.TryParse(id, out var orderId)) return null;
        var order = await store.GetAsync(orderId.Value, ct);
        return order is not null && order.Buyer == BuyerOf(http.Caller()) ? order : null;
    }
}
