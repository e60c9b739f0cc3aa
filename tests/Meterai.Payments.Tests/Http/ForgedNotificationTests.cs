using System.Text.Json;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Tests.Support;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// Bad input at the notification endpoint (real Kestrel, real sandbox): nothing is credited, and the answer is the
/// documented one (4xx for what is not the provider's, counted but never written; 200 "ignored"/"already_known" for
/// the provider's own notifications, so that they are not sent forever, with the reason recorded once).
/// </summary>
public sealed class ForgedNotificationTests : IAsyncLifetime
{
    private PaymentsHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await PaymentsHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_forged_signature_is_refused_with_403_and_credits_nothing()
    {
        var order = await _h.PlaceAsync(2);
        var forged = NotificationSignature.Compute(order.Id.Value, "200", order.Total.ToGatewayString(), "not-the-server-key");
        var (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total, forged));
        Assert.Equal(403, status);
        Assert.Equal("signature_invalid", body.GetProperty("code").GetString());

        var (malformed, problem) = await _h.NotifyAsync("{\"order_id\": 1}");
        Assert.Equal(400, malformed);
        Assert.Equal("malformed_notification", problem.GetProperty("code").GetString());

        Assert.Equal(OrderState.PendingPayment, (await _h.OrderAsync(order.Id)).State);
        Assert.Equal(0, await _h.QuotaAsync(order));
        // Anyone can send these: nothing is written for them (issue 10, item 9); operators see them counted per node.
        Assert.DoesNotContain(await _h.Orders.EventsAsync(null, 50, Sales.Ct), e => e.Event.Code is "signature_invalid" or "malformed_notification");
        var (healthStatus, health) = await _h.SendAsync(HttpMethod.Get, "/api/v1/operator/payments/health", token: await _h.OperatorAsync("auditor"));
        Assert.Equal(200, healthStatus);
        var refused = health.GetProperty("refused_notifications_on_this_node");
        Assert.Equal(1, refused.GetProperty("signature_invalid").GetInt64());
        Assert.Equal(1, refused.GetProperty("malformed_notification").GetInt64());
    }

    [Fact]
    public async Task A_correctly_signed_settlement_the_provider_does_not_confirm_credits_nothing()
    {
        // Whoever holds the key (or borrowed a status_code 200 signature) still cannot credit: the status API says pending.
        var order = await _h.PlaceAsync(3);
        var (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total));
        Assert.Equal(200, status);
        Assert.Equal(("ignored", PaymentErrors.NotificationUnconfirmed), (body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));
        Assert.Equal(OrderState.PendingPayment, (await _h.OrderAsync(order.Id)).State);
        Assert.Equal(0, await _h.QuotaAsync(order));
        Assert.Contains(await _h.EventsAsync(order.Id), e => e.Event.Code == PaymentErrors.NotificationUnconfirmed);
    }

    [Fact]
    public async Task A_wrong_amount_is_ignored_with_200_and_recorded()
    {
        var order = await _h.PlaceAsync(1);
        Assert.True((await _h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total + new Rupiah(10_000)));
        Assert.Equal(200, status);
        Assert.Equal(("ignored", PaymentErrors.AmountMismatch), (body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));
        Assert.Contains(await _h.EventsAsync(order.Id), e => e.Event.Code == PaymentErrors.AmountMismatch);
        // The real notification (right amount) still credits it, once.
        var done = await _h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.Equal(1, await _h.QuotaAsync(done));
    }

    [Fact]
    public async Task An_unknown_order_is_ignored_with_200_and_recorded()
    {
        var unknown = OrderId.New().Value;
        var (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(unknown, TransactionStatus.Settlement, new Rupiah(11_500)));
        Assert.Equal(200, status);
        Assert.Equal(("ignored", PaymentErrors.OrderUnknown), (body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));
        Assert.Contains(await _h.Orders.EventsAsync(unknown, 10, Sales.Ct), e => e.Event.Code == PaymentErrors.OrderUnknown);

        var (notOurs, _) = await _h.NotifyAsync(PaymentsHarness.Notification("ORDER-FROM-ANOTHER-SHOP", TransactionStatus.Settlement, new Rupiah(1)));
        Assert.Equal(200, notOurs);
    }

    [Fact]
    public async Task A_status_going_backwards_and_a_replayed_notification_change_nothing()
    {
        var order = await _h.PlaceAsync(2);
        Assert.True((await _h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var done = await _h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.Equal(2, await _h.QuotaAsync(done));

        // The provider's own pending notification, arriving after the settlement (the charge's answer recorded pending).
        var (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Pending, order.Total));
        Assert.Equal((200, "already_known", "duplicate"), (status, body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));
        // A status behind the recorded settlement.
        (status, body) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Capture, order.Total));
        Assert.Equal((200, "already_known", PaymentErrors.StatusBackwards), (status, body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));

        // The settlement notification replayed, several times, concurrently.
        var replay = PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _h.NotifyAsync(replay)));
        Assert.All(answers, a => Assert.Equal((200, "already_known"), (a.Status, a.Body.GetProperty("status").GetString())));

        // An expire for the paid order: the provider contradicts itself; confirmed with the status API, refused.
        var (expired, expireBody) = await _h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Expire, order.Total));
        Assert.Equal(200, expired);
        Assert.NotEqual("applied", expireBody.GetProperty("status").GetString());

        var after = await _h.OrderAsync(order.Id);
        Assert.Equal(OrderState.Fulfilled, after.State);
        Assert.Equal(2, await _h.QuotaAsync(after));
        var codes = (await _h.EventsAsync(order.Id)).Select(e => e.Event.Code).ToList();
        Assert.Contains(PaymentErrors.StatusBackwards, codes);
        Assert.Contains("duplicate", codes);
        await Sales.AssertAuditHoldsAsync(_h.Database);
    }
}
