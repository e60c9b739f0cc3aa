using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Tests.Support;

namespace Meterai.PaySim.Tests.Notifications;

/// <summary>Each notification fault, forced on (probability 1) so the test sees it every time.</summary>
public class FaultInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PaymentNotification Parse(string body) => PaymentNotificationParser.Parse(body, Sandbox.ServerKey).Value;

    [Fact]
    public async Task Duplicates_arrive_more_than_once_with_the_same_notification_id()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl, faults: new FaultSettings { Duplicate = 1.0 }));
        await sandbox.ChargeAsync("ORD-DUP");
        await sandbox.Client.PayAsync("ORD-DUP", Ct);

        var decisions = await sandbox.Client.FaultDecisionsAsync(Ct);
        var expected = decisions.Sum(d => d.Copies);
        Assert.All(decisions, d => Assert.InRange(d.Copies, 2, 3));
        await Eventually.Until(() => receiver.Accepted.Count == expected, $"{expected} copies accepted");
        var byId = receiver.Accepted.Select(Parse).GroupBy(n => n.NotificationId).ToList();
        Assert.Equal(2, byId.Count);
        Assert.All(byId, g => Assert.True(g.Count() >= 2));
        Assert.All(byId, g => Assert.Single(g.Select(n => n.Status).Distinct()));
    }

    [Fact]
    public async Task A_reordered_pending_arrives_after_the_settlement()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl,
            faults: new FaultSettings { Reorder = 1.0, ReorderHoldMax = TimeSpan.FromMinutes(10) }));
        await sandbox.ChargeAsync("ORD-REORDER");                                       // pending: held back
        await sandbox.Client.SetFaultsAsync(new FaultPatch { Reorder = 0 }, Ct);        // settlement: sent at once
        await sandbox.Client.PayAsync("ORD-REORDER", Ct);

        await Eventually.Until(() => receiver.Accepted.Count == 2, "both accepted");
        Assert.Equal([TransactionStatus.Settlement, TransactionStatus.Pending], receiver.Accepted.Select(b => Parse(b).Status));
        // What the merchant's rule makes of the late pending: a status going backwards, to ignore.
        Assert.Equal(StatusChange.Stale, TransactionStatusRules.Compare(TransactionStatus.Settlement, TransactionStatus.Pending));
    }

    [Fact]
    public async Task A_held_notification_goes_out_after_its_longest_hold_when_nothing_follows()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl,
            faults: new FaultSettings { Reorder = 1.0, ReorderHoldMax = TimeSpan.FromMilliseconds(300) }));
        await sandbox.ChargeAsync("ORD-HOLD");
        Assert.Equal("held", Assert.Single(await sandbox.Client.NotificationsAsync("ORD-HOLD", Ct)).State);
        await Eventually.Until(() => receiver.Accepted.Count == 1, "released after the hold");
    }

    [Fact]
    public async Task Dropped_notifications_never_arrive_but_the_status_api_and_settlement_report_tell()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl, faults: new FaultSettings { Drop = 1.0 }));
        await sandbox.ChargeAsync("ORD-LOST");
        await sandbox.Client.PayAsync("ORD-LOST", Ct);
        Assert.All(await sandbox.Client.NotificationsAsync("ORD-LOST", Ct), n => Assert.Equal("dropped", n.State));

        // A later order's notifications arrive: the worker sends in due order, so the lost ones would have been sent before.
        await sandbox.Client.SetFaultsAsync(new FaultPatch { Drop = 0 }, Ct);
        await sandbox.ChargeAsync("ORD-LATER");
        await sandbox.Client.PayAsync("ORD-LATER", Ct);
        await Eventually.Until(() => receiver.Accepted.Count >= 2, "the later order's notifications");
        Assert.All(receiver.Calls, c => Assert.Equal("ORD-LATER", Parse(c.Body).OrderId));

        var truth = await sandbox.Provider.GetStatusAsync("ORD-LOST", Ct);
        Assert.Equal(TransactionStatus.Settlement, truth.Value.Status);
        var report = await sandbox.Provider.GetSettlementReportAsync(GatewayTime.WibDate(truth.Value.SettlementTime!.Value), Ct);
        Assert.Contains("ORD-LOST", report.Value.Transactions.Select(t => t.OrderId));
        Assert.Contains("ORD-LOST", await sandbox.Client.PaidOrderIdsAsync(Ct));
    }

    [Fact]
    public async Task A_delayed_settlement_arrives_after_the_order_expired()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl,
            faults: new FaultSettings { Delay = 1.0, DelayFor = TimeSpan.FromSeconds(2) }));
        var charge = await sandbox.ChargeAsync("ORD-LATE", expiry: TimeSpan.FromSeconds(1));
        await sandbox.Client.PayAsync("ORD-LATE", Ct); // paid in time…

        await Eventually.Until(() => receiver.Accepted.Count == 2, "both delivered");
        var settlement = receiver.Calls.Single(c => Parse(c.Body).Status == TransactionStatus.Settlement);
        Assert.True(settlement.ReceivedAt > charge.ExpiresAt, $"received {settlement.ReceivedAt:O}, expiry {charge.ExpiresAt:O}"); // …told after expiry
        var n = Parse(settlement.Body);
        Assert.True(n.SettlementTime < charge.ExpiresAt); // and the notification itself says it was paid before
        Assert.Equal(TransactionStatus.Settlement, (await sandbox.Provider.GetStatusAsync("ORD-LATE", Ct)).Value.Status);
    }

    [Fact]
    public async Task Notifications_wait_out_a_provider_outage()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, receiver.NotifyUrl));
        await sandbox.ChargeAsync("ORD-OUTAGE");
        await Eventually.Until(() => receiver.Accepted.Count == 1, "pending delivered");
        await sandbox.Client.StartOutageAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
        await sandbox.Client.PayAsync("ORD-OUTAGE", Ct); // the bank still moves the money; /sim is never down
        var row = await Eventually.Until(() => sandbox.Client.NotificationsAsync("ORD-OUTAGE", Ct), r => r.Count == 2, "settlement queued");
        Assert.Equal("queued", row[1].State);
        Assert.Equal(0, row[1].Attempts);

        await sandbox.Client.EndOutageAsync(Ct);
        await Eventually.Until(() => receiver.Accepted.Count == 2, "settlement delivered after the outage");
    }
}
