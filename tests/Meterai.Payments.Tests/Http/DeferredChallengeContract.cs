using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.Payments.Gateway;
using Meterai.Payments.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// A notification the status API cannot confirm now (a provider outage) is answered 200 "deferred", and the order is due
/// for reconciliation, which confirms it once the provider is back. Before, that held only for orders awaiting payment
/// or credit: a fulfilled or expired order is not claimed by reconciliation, so a refund made at the provider, or a
/// payment arriving after the order expired here, whose notification came during an outage, waited for a manual
/// recheck (or, for the late payment, the next settlement report). Real server and real sandbox (its outage fault), on
/// both backends.
/// </summary>
public abstract class DeferredChallengeContract(DatabaseBackend backend)
{
    [Fact]
    public async Task A_refund_at_the_provider_notified_during_an_outage_is_confirmed_when_the_provider_is_back()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var order = await h.PlaceAsync(2);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        await h.UntilDeliveredAsync(order.Id, 2);

        // The merchant refunds the whole order at the provider's dashboard; its own notification of it is lost…
        await h.Sim.SetFaultsAsync(new FaultPatch { Drop = 1.0 }, Sales.Ct);
        var dashboard = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(h.Sandbox.BaseAddress, PaymentsHarness.ServerKey));
        Assert.True((await dashboard.RefundAsync(new RefundRequest(order.Id.Value, order.Total, "dashboard-" + order.Id, "at the dashboard"), Sales.Ct)).IsOk);

        // …and a copy of it arrives while the provider's API is down: the challenge cannot be made.
        await h.Sim.StartOutageAsync(TimeSpan.FromMinutes(5), cancellationToken: Sales.Ct);
        var (status, body) = await h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Refund, order.Total));
        Assert.Equal((200, "deferred", "challenge_unavailable"), (status, body.GetProperty("status").GetString(), body.GetProperty("code").GetString()));
        Assert.Equal(OrderState.Fulfilled, (await h.OrderAsync(order.Id)).State);

        await h.Sim.EndOutageAsync(Sales.Ct);
        var refunded = await h.UntilAsync(order.Id, o => o.ProviderStatus == TransactionStatus.Refund, "told of the provider's refund by reconciliation");
        Assert.Equal(OrderState.Refunded, refunded.State);
        await h.UntilEventAsync(order.Id, "refunded_at_provider");
        Assert.Contains(await h.Orders.InboxAsync(order.Id, Sales.Ct), i => i.Status == TransactionStatus.Refund && i.Source == ReportSource.Reconciliation && i.Confirmed);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_late_payment_notified_during_an_outage_is_credited_when_the_provider_is_back()
    {
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 }, backend: backend);
        var order = await h.PlaceAsync(1);
        // The order expired here on the provider's word (as in the late-payment test), and the buyer pays after all.
        var expired = await h.Orders.ApplyAsync(new ProviderReport(Sales.Provider, order.Id, TransactionStatus.Expire, null, order.Total, null,
            ReportSource.Reconciliation, Confirmed: true), Sales.Ct);
        Assert.Equal(OrderState.Expired, expired.Order!.State);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);

        await h.Sim.StartOutageAsync(TimeSpan.FromMinutes(5), cancellationToken: Sales.Ct);
        var (status, body) = await h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total));
        Assert.Equal((200, "deferred"), (status, body.GetProperty("status").GetString()));
        Assert.Equal(OrderState.Expired, (await h.OrderAsync(order.Id)).State);

        await h.Sim.EndOutageAsync(Sales.Ct);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "credited as a late payment by reconciliation");
        Assert.True(done.LatePayment);
        Assert.Equal(1, await h.QuotaAsync(done));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }
}

public sealed class SqliteDeferredChallengeTests(SqliteBackend backend) : DeferredChallengeContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresDeferredChallengeTests(PostgresBackend backend) : DeferredChallengeContract(backend), IClassFixture<PostgresBackend>;
