using System.Text.Json;
using Meterai.Core.Identity;
using Meterai.Core.Orders;
using Meterai.Payments.Tests.Support;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// The order and operator endpoints over real Kestrel with the real access policies: who may call what, the
/// Idempotency-Key, owners only, the charge in the answer, refunds, the operator's counts, health and re-check.
/// </summary>
public sealed class OrderApiTests : IAsyncLifetime
{
    private PaymentsHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await PaymentsHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_applicant_orders_pays_sees_the_order_fulfilled_and_refunds_unused_stamps()
    {
        var (token, applicantId) = await _h.ApplicantAsync();
        var order = new { quantity = 2, method = "qris" };

        Assert.Equal(401, (await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", order, idempotencyKey: "a-1")).Status);
        var missing = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", order, token);
        Assert.Equal((400, "idempotency_key_missing"), (missing.Status, missing.Body.GetProperty("code").GetString()));
        var bad = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 2, method = "cash" }, token, "a-0");
        Assert.Equal((400, OrderErrors.MethodInvalid), (bad.Status, bad.Body.GetProperty("code").GetString()));

        var created = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", order, token, "a-1");
        Assert.Equal(201, created.Status);
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.Equal(("pending_payment", "applicant", applicantId, 2, 23_000L), (created.Body.GetProperty("state").GetString(),
            created.Body.GetProperty("buyer_kind").GetString(), created.Body.GetProperty("buyer_id").GetString(), created.Body.GetProperty("quantity").GetInt32(),
            created.Body.GetProperty("total").GetInt64()));
        var charge = created.Body.GetProperty("charge");
        Assert.StartsWith("000201", charge.GetProperty("qr_string").GetString());
        Assert.Contains(id, charge.GetProperty("pay_url").GetString());

        var again = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", order, token, "a-1");
        Assert.Equal((200, id), (again.Status, again.Body.GetProperty("id").GetString()));
        var reused = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 3, method = "qris" }, token, "a-1");
        Assert.Equal((422, OrderErrors.IdempotencyKeyReused), (reused.Status, reused.Body.GetProperty("code").GetString()));

        // Someone else's order does not exist for them.
        var (stranger, _) = await _h.ApplicantAsync();
        Assert.Equal(404, (await _h.SendAsync(HttpMethod.Get, $"/api/v1/orders/{id}", token: stranger)).Status);
        Assert.Equal(0, (await _h.SendAsync(HttpMethod.Get, "/api/v1/orders", token: stranger)).Body.GetArrayLength());

        Assert.True((await _h.Sim.PayAsync(id, Sales.Ct)).IsOk);
        OrderId.TryParse(id, out var orderId);
        await _h.UntilAsync(orderId!.Value, o => o.State == OrderState.Fulfilled, "fulfilled");
        var mine = await _h.SendAsync(HttpMethod.Get, $"/api/v1/orders/{id}", token: token);
        Assert.Equal(("fulfilled", "settlement"), (mine.Body.GetProperty("state").GetString(), mine.Body.GetProperty("provider_status").GetString()));
        Assert.Equal(JsonValueKind.Null, mine.Body.GetProperty("credit_error").ValueKind);
        Assert.Equal(id, (await _h.SendAsync(HttpMethod.Get, "/api/v1/orders", token: token)).Body[0].GetProperty("id").GetString());

        var refund = await _h.SendAsync(HttpMethod.Post, $"/api/v1/orders/{id}/refunds", new { quantity = 1, reason = "salah beli" }, token, "r-1");
        Assert.Equal((200, "completed", 11_500L), (refund.Status, refund.Body.GetProperty("state").GetString(), refund.Body.GetProperty("amount").GetInt64()));
        var tooMany = await _h.SendAsync(HttpMethod.Post, $"/api/v1/orders/{id}/refunds", new { quantity = 2 }, token, "r-2");
        Assert.Equal((409, OrderErrors.RefundExceedsOrder), (tooMany.Status, tooMany.Body.GetProperty("code").GetString()));
        Assert.Equal(404, (await _h.SendAsync(HttpMethod.Post, $"/api/v1/orders/{id}/refunds", new { quantity = 1 }, stranger, "r-3")).Status);
        await Sales.AssertAuditHoldsAsync(_h.Database);
    }

    [Fact]
    public async Task Operators_see_orders_by_state_and_the_health_and_only_issuer_admins_act()
    {
        var (buyer, _) = await _h.ApplicantAsync();
        var created = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 1, method = "va", bank = "bri" }, buyer, "o-1");
        Assert.Equal(201, created.Status);
        Assert.NotNull(created.Body.GetProperty("charge").GetProperty("va_number").GetString());
        var id = created.Body.GetProperty("id").GetString()!;

        var auditor = await _h.OperatorAsync(OperatorRole.Auditor);
        var admin = await _h.OperatorAsync(OperatorRole.IssuerAdmin);
        Assert.Equal(403, (await _h.SendAsync(HttpMethod.Get, "/api/v1/operator/orders", token: buyer)).Status);
        var page = await _h.SendAsync(HttpMethod.Get, "/api/v1/operator/orders?state=pending_payment", token: auditor);
        Assert.Equal(200, page.Status);
        Assert.True(page.Body.GetProperty("counts").GetProperty("pending_payment").GetInt64() >= 1);
        Assert.Contains(page.Body.GetProperty("orders").EnumerateArray(), o => o.GetProperty("id").GetString() == id);
        Assert.Equal((400, "state_invalid"), await CodeAsync(HttpMethod.Get, "/api/v1/operator/orders?state=lost", auditor));

        // The buyer pays but every notification is lost on the way (here: the sandbox sends them nowhere).
        await _h.Sim.SetNotifyUrlAsync(new Uri("http://127.0.0.1:9/nowhere"), Sales.Ct);
        Assert.True((await _h.Sim.PayAsync(id, Sales.Ct)).IsOk);
        Assert.Equal(403, (await _h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{id}/recheck", token: auditor)).Status);
        var rechecked = await _h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{id}/recheck", token: admin);
        Assert.Equal((200, "fulfilled"), (rechecked.Status, rechecked.Body.GetProperty("state").GetString()));

        var detail = await _h.SendAsync(HttpMethod.Get, $"/api/v1/operator/orders/{id}", token: auditor);
        Assert.Contains(detail.Body.GetProperty("inbox").EnumerateArray(), e => e.GetProperty("status").GetString() == "settlement" && e.GetProperty("source").GetString() == "recheck");

        var health = await _h.SendAsync(HttpMethod.Get, "/api/v1/operator/payments/health", token: auditor);
        Assert.Equal(200, health.Status);
        Assert.Equal(0, health.Body.GetProperty("paid_but_not_credited").GetInt64());
        Assert.Equal("paysim", health.Body.GetProperty("provider").GetProperty("name").GetString());
        Assert.False(health.Body.GetProperty("provider").GetProperty("sandbox_defaults").GetBoolean());

        Assert.Equal(403, (await _h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{id}/refunds", new { quantity = 1 }, auditor, "x")).Status);
        var refund = await _h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{id}/refunds", new { quantity = 1, reason = "permintaan pembeli" }, admin, "adm-1");
        Assert.Equal((200, "completed"), (refund.Status, refund.Body.GetProperty("state").GetString()));
        Assert.Equal("refunded", (await _h.SendAsync(HttpMethod.Get, $"/api/v1/orders/{id}", token: buyer)).Body.GetProperty("state").GetString());

        var events = await _h.SendAsync(HttpMethod.Get, "/api/v1/operator/payments/events?limit=10", token: auditor);
        Assert.Equal(JsonValueKind.Array, events.Body.ValueKind);
        await Sales.AssertAuditHoldsAsync(_h.Database);
    }

    [Fact]
    public async Task A_channel_orders_stock_at_its_own_price()
    {
        var admin = await _h.OperatorAsync(OperatorRole.IssuerAdmin);
        var channel = await _h.SendAsync(HttpMethod.Post, "/api/v1/channels", new { code = "toko-" + Guid.NewGuid().ToString("N")[..8], name = "Toko", service_fee = 2_500 }, admin, "c");
        Assert.Equal(201, channel.Status);
        var key = await _h.SendAsync(HttpMethod.Post, $"/api/v1/channels/{channel.Body.GetProperty("id").GetString()}/api-keys", new { name = "k" }, admin, "k");
        var token = (await _h.SendAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = key.Body.GetProperty("key").GetString() })).Body
            .GetProperty("access_token").GetString();
        var order = await _h.SendAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 4, method = "qris" }, token, "c-1");
        Assert.Equal((201, "channel", 12_500L, 50_000L), (order.Status, order.Body.GetProperty("buyer_kind").GetString(),
            order.Body.GetProperty("unit_price").GetInt64(), order.Body.GetProperty("total").GetInt64()));
    }

    private async Task<(int, string?)> CodeAsync(HttpMethod method, string path, string token)
    {
        var (status, body) = await _h.SendAsync(method, path, token: token);
        return (status, body.GetProperty("code").GetString());
    }
}
