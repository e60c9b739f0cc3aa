using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Tests.Support;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// Issue 10, item 2, through the real server (Kestrel) and the real sandbox on both backends. The provider's signature
/// covers order_id, status_code and gross_amount only, and settlement, partial_refund and refund share status code 200:
/// a signed settlement with only its transaction_status changed carries a valid signature. Nothing such a notification
/// says may move an order; every move is the status API's answer, and a refund is never taken from a notification.
/// </summary>
public abstract class RefundForgeryContract(DatabaseBackend backend)
{
    [Fact]
    public async Task A_signed_settlement_replayed_as_a_refund_refunds_nothing_and_the_real_refund_still_works()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var order = await h.PlaceAsync(3);
        var signed = await h.PayAtSandboxAsync(order.Id);
        Assert.Equal("settlement", signed["transaction_status"]!.GetValue<string>());
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");

        // The attacker's edit: one member the signature does not cover.
        var forged = Replay(signed, "refund");
        var (status, body) = await h.NotifyAsync(forged.ToJsonString());
        Assert.Equal(200, status);
        Assert.NotEqual("applied", body.GetProperty("status").GetString());
        Assert.Equal(PaymentErrors.NotificationUnconfirmed, body.GetProperty("code").GetString());

        var after = await h.OrderAsync(order.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (after.State, after.ProviderStatus));
        Assert.Equal(3, await h.QuotaAsync(after));
        Assert.DoesNotContain(await h.Orders.InboxAsync(order.Id, Sales.Ct), i => i.Status == TransactionStatus.Refund);
        await Sales.AssertAuditHoldsAsync(h.Database);

        // The buyer's real refund then goes through: stamps taken back, the provider refunds the money.
        var admin = await h.OperatorAsync("issuer_admin");
        var (refundStatus, refund) = await h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{order.Id}/refunds", new { quantity = 3, reason = "real" }, admin, "real-refund");
        Assert.True(refundStatus == 200, refund.ToString());
        Assert.Equal("completed", refund.GetProperty("state").GetString());
        var provider = (await h.Sim.TransactionsAsync(null, Sales.Ct)).Single(t => t.OrderId == order.Id.Value);
        Assert.Equal(TransactionStatus.Refund, provider.Status);
        var refunded = await h.UntilAsync(order.Id, o => o.ProviderStatus == TransactionStatus.Refund, "told of the provider's refund");
        Assert.Equal(OrderState.Refunded, refunded.State);
        Assert.Equal(0, await h.QuotaAsync(refunded));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_signed_notification_moves_nothing_the_status_api_does_not_confirm()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);

        // An expire for an order the provider still holds open (status code 202 is shared by deny, cancel and expire).
        var open = await h.PlaceAsync(1);
        var (status, body) = await h.NotifyAsync(PaymentsHarness.Notification(open.Id.Value, TransactionStatus.Expire, open.Total));
        Assert.Equal((200, "ignored"), (status, body.GetProperty("status").GetString()));
        Assert.Equal((OrderState.PendingPayment, TransactionStatus.Pending), ((await h.OrderAsync(open.Id)).State, (await h.OrderAsync(open.Id)).ProviderStatus));
        Assert.DoesNotContain(await h.Orders.InboxAsync(open.Id, Sales.Ct), i => i.Status == TransactionStatus.Expire);
        // …so when the buyer pays, it is an ordinary payment, not a late one.
        Assert.True((await h.Sim.PayAsync(open.Id.Value, Sales.Ct)).IsOk);
        var paid = await h.UntilAsync(open.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.False(paid.LatePayment);

        // A partial refund of a fulfilled order the provider never refunded.
        var (again, answer) = await h.NotifyAsync(PaymentsHarness.Notification(open.Id.Value, TransactionStatus.PartialRefund, open.Total));
        Assert.Equal((200, "ignored"), (again, answer.GetProperty("status").GetString()));
        var after = await h.OrderAsync(open.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (after.State, after.ProviderStatus));
        Assert.Equal(1, await h.QuotaAsync(after));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_recheck_repairs_an_order_refunded_on_a_notifications_word()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var order = await h.PlaceAsync(2);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");

        // What the old intake left behind after the forged refund: refunded, with no confirmed statement for it and no stamp taken back.
        var now = backend.Provider == DatabaseProvider.Postgres ? "now()" : "1";
        Assert.Equal(1, await backend.ExecuteRawAsync($"UPDATE orders SET state = 6, provider_status = 7, refunded_at = {now} WHERE id = '{order.Id}'"));
        var audit = await h.Database.AuditAsync(Sales.Ct);
        Assert.Contains(audit.Broken, b => b.Name == "orders_agree_with_provider");

        var admin = await h.OperatorAsync("issuer_admin");
        var (status, body) = await h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{order.Id}/recheck", null, admin);
        Assert.True(status == 200, body.ToString());
        Assert.Equal("fulfilled", body.GetProperty("state").GetString());
        var repaired = await h.OrderAsync(order.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement, null), (repaired.State, repaired.ProviderStatus, repaired.RefundedAt));
        Assert.Contains(await h.EventsAsync(order.Id), e => e.Event.Code == "order_repaired");
        await Sales.AssertAuditHoldsAsync(h.Database);

        // And the real refund works again.
        var (refundStatus, refund) = await h.SendAsync(HttpMethod.Post, $"/api/v1/operator/orders/{order.Id}/refunds", new { quantity = 2 }, admin, "after-repair");
        Assert.True(refundStatus == 200, refund.ToString());
        Assert.Equal(0, await h.QuotaAsync(repaired));
    }

    /// <summary>The signed answer replayed as a notification with another transaction_status (and a fresh notification id).</summary>
    internal static JsonObject Replay(JsonObject signed, string transactionStatus)
    {
        var copy = signed.DeepClone().AsObject();
        copy["transaction_status"] = transactionStatus;
        copy["notification_id"] = Guid.NewGuid().ToString();
        return copy;
    }
}

public sealed class SqliteRefundForgeryTests(SqliteBackend backend) : RefundForgeryContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresRefundForgeryTests(PostgresBackend backend) : RefundForgeryContract(backend), IClassFixture<PostgresBackend>;
