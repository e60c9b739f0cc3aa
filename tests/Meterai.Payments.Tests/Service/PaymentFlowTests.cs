using Meterai.Core.Channels;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.Payments.Tests.Support;

namespace Meterai.Payments.Tests.Service;

/// <summary>
/// The crediting paths end to end, against the real sandbox and the real server (in-process Kestrel, SQLite): a
/// notification, a lost notification found by reconciliation, a challenge the provider could not answer, a payment
/// after expiry, refunds with and without the provider answering, the settlement report.
/// </summary>
public sealed class PaymentFlowTests
{
    private static readonly Dictionary<string, string> FastReconciliation = new()
    {
        ["Payments:Reconciliation:PendingCheckAfterSeconds"] = "0.5",
    };

    [Fact]
    public async Task A_paid_order_is_credited_once_from_its_notification_and_an_idempotent_retry_returns_the_same_order()
    {
        await using var h = await PaymentsHarness.StartAsync();
        var buyer = Buyer.Applicant(LedgerId.New());
        var order = await h.PlaceAsync(3, buyer, key: "buy-1");
        Assert.NotNull(order.Charge?.QrString);
        Assert.Equal(new Rupiah(3 * 11_500), order.Total);
        var retried = await h.Service.PlaceAsync(new OrderRequest(buyer, Channel.DirectId, 3, PaymentMethod.Qris, null, "buy-1"), Sales.Ct);
        Assert.Equal((order.Id, true), (retried.Value.Order.Id, retried.Value.Replayed));
        var conflicting = await h.Service.PlaceAsync(new OrderRequest(buyer, Channel.DirectId, 4, PaymentMethod.Qris, null, "buy-1"), Sales.Ct);
        Assert.Equal(OrderErrors.IdempotencyKeyReused, conflicting.Error?.Code);

        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.Equal(3, await h.QuotaAsync(done));
        Assert.NotNull(done.SettledAt);
        var inbox = await h.Orders.InboxAsync(order.Id, Sales.Ct);
        Assert.Contains(inbox, i => i.Status == TransactionStatus.Settlement && i.Source == ReportSource.Notification);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_payment_whose_notification_is_lost_is_credited_by_reconciliation()
    {
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 }, FastReconciliation);
        var order = await h.PlaceAsync(2);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled by reconciliation");
        Assert.Equal(2, await h.QuotaAsync(done));
        Assert.Contains(await h.Orders.InboxAsync(order.Id, Sales.Ct), i => i.Status == TransactionStatus.Settlement && i.Source == ReportSource.Reconciliation);
        Assert.All(await h.Sim.NotificationsAsync(order.Id.Value, Sales.Ct), n => Assert.Equal("dropped", n.State));
    }

    [Fact]
    public async Task An_unpaid_order_expires_on_the_providers_word_even_without_its_notification()
    {
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 },
            new Dictionary<string, string>(FastReconciliation) { ["Payments:OrderExpirySeconds"] = "3" });
        var order = await h.PlaceAsync(1);
        var expired = await h.UntilAsync(order.Id, o => o.State == OrderState.Expired, "expired");
        Assert.Equal(TransactionStatus.Expire, expired.ProviderStatus);
        Assert.False((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        Assert.False(await Sales.CreditExistsAsync(h.Database.Ledger, order));
    }

    [Fact]
    public async Task A_notification_the_provider_cannot_confirm_now_is_answered_200_and_credited_by_reconciliation_later()
    {
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 });
        var order = await h.PlaceAsync(1);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        // Reconciliation would only look in 10 minutes; the provider's API is down for the challenge.
        await h.Sim.StartOutageAsync(TimeSpan.FromSeconds(30), cancellationToken: Sales.Ct);
        var (status, body) = await h.NotifyAsync(PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total));
        Assert.Equal((200, "deferred"), (status, body.GetProperty("status").GetString()));
        Assert.Equal(OrderState.PendingPayment, (await h.OrderAsync(order.Id)).State);
        Assert.Contains(await h.EventsAsync(order.Id), e => e.Event.Code == "challenge_unavailable");

        await h.Sim.EndOutageAsync(Sales.Ct);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled after the outage");
        Assert.Equal(1, await h.QuotaAsync(done));
    }

    [Fact]
    public async Task A_payment_settling_after_the_order_expired_here_is_credited_as_a_late_payment()
    {
        await using var h = await PaymentsHarness.StartAsync();
        var order = await h.PlaceAsync(2);
        // The provider's status API said expire (say a card provider's timeout, which the sandbox does not make), and the order expired here…
        var expired = await h.Orders.ApplyAsync(new ProviderReport(Sales.Provider, order.Id, TransactionStatus.Expire, null, order.Total, null,
            ReportSource.Reconciliation, Confirmed: true), Sales.Ct);
        Assert.Equal(OrderState.Expired, expired.Order!.State);

        // …then the money arrives after all: the provider settles and notifies.
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled as a late payment");
        Assert.True(done.LatePayment);
        Assert.Equal(2, await h.QuotaAsync(done));
        await h.UntilEventAsync(order.Id, "late_payment");
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task Unused_stamps_are_refunded_with_the_providers_refund_and_used_ones_are_not()
    {
        await using var h = await PaymentsHarness.StartAsync();
        var order = await h.PlaceAsync(4);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.Equal(TransferResult.Ok, (await h.Database.Ledger.CreateTransfersAsync(
            [new Transfer(LedgerId.New(), order.QuotaAccountId, SystemAccounts.Consumed.Id, 2, TransferCode.Stamp)], Sales.Ct))[0]);

        var refund = await h.Service.RefundAsync(order.Id, 2, "refund-1", "no longer needed", "operator:1", Sales.Ct);
        Assert.True(refund.IsOk, refund.Error?.ToString());
        Assert.Equal(RefundState.Completed, refund.Value.State);
        Assert.Equal(new Rupiah(23_000), refund.Value.Amount);
        Assert.Equal(0, await h.QuotaAsync(order));
        var provider = (await h.Sim.TransactionsAsync(null, Sales.Ct)).Single(t => t.OrderId == order.Id.Value);
        Assert.Equal((TransactionStatus.PartialRefund, new Rupiah(23_000)), (provider.Status, provider.RefundedAmount));

        var again = await h.Service.RefundAsync(order.Id, 2, "refund-1", "no longer needed", "operator:1", Sales.Ct);
        Assert.Equal(refund.Value.Id, again.Value.Id);
        Assert.Equal(OrderErrors.RefundExceedsOrder, (await h.Service.RefundAsync(order.Id, 3, null, null, null, Sales.Ct)).Error?.Code);
        Assert.Equal(OrderErrors.QuotaAlreadyUsed, (await h.Service.RefundAsync(order.Id, 1, null, null, null, Sales.Ct)).Error?.Code);
        Assert.Equal(OrderState.Fulfilled, (await h.OrderAsync(order.Id)).State);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_refund_interrupted_by_a_provider_outage_is_completed_by_the_worker()
    {
        await using var h = await PaymentsHarness.StartAsync();
        var order = await h.PlaceAsync(2);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");

        await h.Sim.StartOutageAsync(TimeSpan.FromSeconds(30), cancellationToken: Sales.Ct);
        var refund = await h.Service.RefundAsync(order.Id, 2, null, null, null, Sales.Ct);
        Assert.Equal(RefundState.Reversed, refund.Value.State);
        Assert.Equal(OrderState.Refunded, (await h.OrderAsync(order.Id)).State);
        Assert.Equal(1, (await h.Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Sales.Ct)).RefundsOutstanding);

        await h.Sim.EndOutageAsync(Sales.Ct);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await h.Orders.GetRefundAsync(refund.Value.Id, Sales.Ct))!.State != RefundState.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker never completed the refund");
            await Task.Delay(100, Sales.Ct);
        }

        var provider = (await h.Sim.TransactionsAsync(null, Sales.Ct)).Single(t => t.OrderId == order.Id.Value);
        Assert.Equal(TransactionStatus.Refund, provider.Status);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task The_settlement_report_credits_what_no_notification_told_and_reports_lines_that_do_not_match()
    {
        // Notifications lost and no status polling (10 minutes away): only the settlement report can tell.
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 },
            new Dictionary<string, string> { ["Payments:Reconciliation:SettlementIntervalSeconds"] = "0.5" });
        var order = await h.PlaceAsync(1);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        // A payment at the same merchant for an order this service never placed.
        var stranger = "SHOP-" + Guid.NewGuid().ToString("N")[..10];
        var provider = new Meterai.Payments.Gateway.GatewayPaymentProvider(new HttpClient(),
            new Meterai.Payments.Gateway.GatewayProviderOptions(h.Sandbox.BaseAddress, PaymentsHarness.ServerKey));
        Assert.True((await provider.ChargeAsync(new ChargeRequest(stranger, new Rupiah(5_000), PaymentMethod.Qris, TimeSpan.FromMinutes(5)), Sales.Ct)).IsOk);
        Assert.True((await h.Sim.PayAsync(stranger, Sales.Ct)).IsOk);

        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled from the settlement report");
        Assert.Equal(1, await h.QuotaAsync(done));
        Assert.Contains(await h.Orders.InboxAsync(order.Id, Sales.Ct), i => i.Source == ReportSource.SettlementReport);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await h.Orders.EventsAsync(stranger, 10, Sales.Ct)).Any(e => e.Event.Code == PaymentErrors.OrderUnknown))
        {
            Assert.True(DateTime.UtcNow < deadline, "the unknown settlement line was never reported");
            await Task.Delay(100, Sales.Ct);
        }

        Assert.Single(await h.Orders.EventsAsync(stranger, 10, Sales.Ct));
    }

    [Fact]
    public async Task A_channel_pays_its_own_price_and_the_quota_lands_in_its_deposit()
    {
        await using var h = await PaymentsHarness.StartAsync();
        var channel = (await h.Database.Channels.CreateAsync(new Channel(LedgerId.New(), "reseller-" + Guid.NewGuid().ToString("N")[..8], "Reseller", 700,
            ChannelStatus.Active, DateTimeOffset.UtcNow), Sales.Ct)).Value.Id;
        var placed = await h.Service.PlaceAsync(new OrderRequest(Buyer.Channel(channel), channel, 10, PaymentMethod.VirtualAccount, "bni", "k"), Sales.Ct);
        Assert.True(placed.IsOk, placed.Error?.ToString());
        var order = placed.Value.Order;
        Assert.Equal(new Rupiah(107_000), order.Total);
        Assert.NotNull(order.Charge?.VaNumber);
        Assert.Equal(QuotaAccounts.ChannelDepositId(channel), order.QuotaAccountId);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        var done = await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        Assert.Equal(10, await h.QuotaAsync(done));
    }

    [Fact]
    public async Task Orders_beyond_the_issuers_stock_and_bad_requests_are_refused_before_any_charge()
    {
        // The issuer has minted nothing yet.
        await using var h = await PaymentsHarness.StartAsync(stock: 0);
        var buyer = Buyer.Applicant(LedgerId.New());
        OrderRequest Request(int quantity, string? bank = null, string? key = "k") => new(buyer, Channel.DirectId, quantity, PaymentMethod.Qris, bank, key);
        Assert.Equal(OrderErrors.OutOfStock, (await h.Service.PlaceAsync(Request(1), Sales.Ct)).Error?.Code);
        Assert.Equal(OrderErrors.QuantityInvalid, (await h.Service.PlaceAsync(Request(0), Sales.Ct)).Error?.Code);
        Assert.Equal(OrderErrors.BankInvalid, (await h.Service.PlaceAsync(Request(1, "bni"), Sales.Ct)).Error?.Code);
        Assert.Equal(OrderErrors.IdempotencyKeyInvalid, (await h.Service.PlaceAsync(Request(1, key: "has space"), Sales.Ct)).Error?.Code);
        Assert.Empty(await h.Sim.TransactionsAsync(null, Sales.Ct));
    }
}
