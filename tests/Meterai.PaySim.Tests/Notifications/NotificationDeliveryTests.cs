using Meterai.Core.Payments;
using Meterai.PaySim.Tests.Support;

namespace Meterai.PaySim.Tests.Notifications;

/// <summary>The outbox worker delivering to a real merchant endpoint (a second Kestrel host), through failures.</summary>
public class NotificationDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PaymentNotification Parse(string body)
    {
        var r = PaymentNotificationParser.Parse(body, Sandbox.ServerKey);
        Assert.True(r.IsOk, r.Error?.ToString());
        return r.Value;
    }

    [Fact]
    public async Task Delivers_signed_notifications_for_charge_pay_and_expiry()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl));
        await sandbox.ChargeAsync("ORD-N1", PaymentMethod.VirtualAccount, 15_000);
        await sandbox.Client.PayAsync("ORD-N1", Ct);
        await sandbox.ChargeAsync("ORD-N2", expiry: TimeSpan.FromSeconds(1));

        await Eventually.Until(() => receiver.Accepted.Count >= 4, "four notifications accepted");
        var notes = receiver.Accepted.Select(Parse).ToList();
        // Deliveries run concurrently (up to MaxConcurrentDeliveries), as a real gateway's do: a charge's pending and
        // its settlement may arrive in either order, so only which notifications arrived is asserted here.
        Assert.Equal([TransactionStatus.Pending, TransactionStatus.Settlement], notes.Where(n => n.OrderId == "ORD-N1").Select(n => n.Status).Order());
        Assert.Equal([TransactionStatus.Pending, TransactionStatus.Expire], notes.Where(n => n.OrderId == "ORD-N2").Select(n => n.Status).Order());
        var settlement = notes.Single(n => n.Status == TransactionStatus.Settlement);
        Assert.Equal(new Rupiah(15_000), settlement.GrossAmount);
        Assert.Equal("15000.00", settlement.GrossAmountText);
        Assert.Equal(PaymentMethod.VirtualAccount, settlement.PaymentType);
        Assert.NotNull(settlement.SettlementTime);
        Assert.All(await sandbox.Client.NotificationsAsync(cancellationToken: Ct), n => Assert.Equal(("delivered", 1), (n.State, n.Attempts)));
    }

    [Fact]
    public async Task Retries_while_the_receiver_answers_500()
    {
        await using var receiver = await NotificationReceiver.StartAsync(n => n <= 3 ? 500 : 200);
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl));
        await sandbox.ChargeAsync("ORD-500");

        await Eventually.Until(() => receiver.Accepted.Count == 1, "accepted after the failures");
        Assert.Equal([500, 500, 500, 200], receiver.Calls.Select(c => c.AnsweredStatus));
        Assert.Single(receiver.Calls.Select(c => c.Body).Distinct()); // the same notification each time
        var row = Assert.Single(await sandbox.Client.NotificationsAsync("ORD-500", Ct));
        Assert.Equal(("delivered", 4), (row.State, row.Attempts));
    }

    [Fact]
    public async Task Retries_a_receiver_that_does_not_answer_within_the_timeout()
    {
        // The test sandbox gives a receiver 1 s (5 s by default); the first call is never answered.
        await using var receiver = await NotificationReceiver.StartAsync(n => n == 1 ? null : 200);
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl));
        await sandbox.ChargeAsync("ORD-HANG");

        await Eventually.Until(() => receiver.Accepted.Count == 1, "accepted on the retry");
        Assert.Equal([0, 200], receiver.Calls.Select(c => c.AnsweredStatus));
        var row = Assert.Single(await sandbox.Client.NotificationsAsync("ORD-HANG", Ct));
        Assert.Equal(("delivered", 2), (row.State, row.Attempts));
    }

    [Fact]
    public async Task Keeps_notifications_while_the_receiver_is_down_and_delivers_when_it_is_back()
    {
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, new Uri("http://127.0.0.1:1/notify")));
        await sandbox.ChargeAsync("ORD-DOWN");
        await sandbox.Client.PayAsync("ORD-DOWN", Ct);
        await Eventually.Until(() => sandbox.Client.NotificationsAsync("ORD-DOWN", Ct),
            rows => rows.Count == 2 && rows.All(r => r.Attempts >= 3 && r.State == "queued"), "retried several times");

        await using var receiver = await NotificationReceiver.StartAsync();
        await sandbox.Client.SetNotifyUrlAsync(receiver.NotifyUrl, Ct);
        await Eventually.Until(() => receiver.Accepted.Count == 2, "both delivered to the new URL");
        Assert.Equal([TransactionStatus.Pending, TransactionStatus.Settlement], receiver.Accepted.Select(b => Parse(b).Status).Order());
    }

    [Fact]
    public async Task Many_concurrent_buyers_each_get_their_settlement_notification()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl));
        var orders = Enumerable.Range(0, 120).Select(i => $"ORD-C{i:D3}").ToList();
        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (o, ct) =>
        {
            var method = o.EndsWith('0') ? PaymentMethod.VirtualAccount : PaymentMethod.Qris;
            var charge = await sandbox.Provider.ChargeAsync(new ChargeRequest(o, new Rupiah(10_000), method, TimeSpan.FromMinutes(5)), ct);
            Assert.True(charge.IsOk, charge.Error?.ToString());
            Assert.Equal(TransactionStatus.Settlement, (await sandbox.Client.PayAsync(o, ct)).Value);
        });

        await Eventually.Until(() => sandbox.Client.NotificationsAsync(cancellationToken: Ct),
            rows => rows.Count == 240 && rows.All(r => r.State == "delivered"), "every notification delivered");
        var settled = receiver.Accepted.Select(Parse).Where(n => n.Status == TransactionStatus.Settlement).Select(n => n.OrderId).ToList();
        Assert.Equal(orders.Order(), settled.Order());           // each order's settlement, once: no faults, no duplicates
        Assert.Equal(240, receiver.Calls.Count);
        Assert.Equal(orders.ToHashSet(), (await sandbox.Client.PaidOrderIdsAsync(Ct)).ToHashSet());
        var vas = (await sandbox.Client.TransactionsAsync(cancellationToken: Ct)).Count(t => t.Method == PaymentMethod.VirtualAccount);
        Assert.Equal(12, vas);
    }

    [Fact]
    public async Task Without_a_notify_url_notifications_wait_untried_until_one_is_set()
    {
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, notifyUrl: null));
        await sandbox.ChargeAsync("ORD-NOURL");
        await sandbox.ChargeAsync("ORD-NOURL-2"); // a second write: the first row has had time to be looked at
        Assert.All(await sandbox.Client.NotificationsAsync(cancellationToken: Ct), n => Assert.Equal(("queued", 0), (n.State, n.Attempts)));

        await using var receiver = await NotificationReceiver.StartAsync();
        await sandbox.Client.SetNotifyUrlAsync(receiver.NotifyUrl, Ct);
        await Eventually.Until(() => receiver.Accepted.Count == 2, "delivered once a URL is set");
    }
}
