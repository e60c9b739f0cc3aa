using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Tests.Support;
using Meterai.PaySim.Transactions;
using Meterai.Payments.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Meterai.PaySim.Tests.Adapter;

/// <summary>The server's gateway adapter against the real sandbox on a loopback port.</summary>
public class GatewayAdapterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Charges_qris_with_a_qr_string_and_a_pay_page()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var charge = await sandbox.ChargeAsync("ORD-QRIS-1", PaymentMethod.Qris, 10_000, TimeSpan.FromMinutes(15));
        Assert.False(charge.Existing);
        Assert.Equal(TransactionStatus.Pending, charge.Status);
        Assert.Equal(new Rupiah(10_000), charge.Amount);
        Assert.Null(charge.VaNumber);
        var tags = QrisPayload.Parse(charge.QrString!);
        Assert.NotNull(tags);
        Assert.Equal("10000", tags["54"]);
        Assert.Equal(TimeSpan.FromMinutes(15), charge.ExpiresAt - charge.TransactionTime);

        using var http = new HttpClient();
        var page = await http.GetStringAsync(charge.PayUrl, Ct);
        Assert.Contains("<svg", page);
        Assert.Contains("Bayar / Pay", page);
        Assert.Contains("Rp10.000", page);
    }

    [Fact]
    public async Task Charges_a_virtual_account_at_the_chosen_bank()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var r = await sandbox.Provider.ChargeAsync(new ChargeRequest("ORD-VA-1", new Rupiah(10_000), PaymentMethod.VirtualAccount, TimeSpan.FromHours(1), "bri"), Ct);
        Assert.True(r.IsOk, r.Error?.ToString());
        Assert.Equal("bri", r.Value.Bank);
        Assert.Matches("^39003[0-9]{11}$", r.Value.VaNumber!);
        Assert.Null(r.Value.QrString);
        var other = await sandbox.ChargeAsync("ORD-VA-2", PaymentMethod.VirtualAccount);
        Assert.Equal("bca", other.Bank);
        Assert.NotEqual(r.Value.VaNumber, other.VaNumber);

        using var http = new HttpClient();
        var page = await http.GetStringAsync(r.Value.PayUrl, Ct);
        Assert.Contains(r.Value.VaNumber!, page);
    }

    [Fact]
    public async Task A_repeated_charge_returns_the_existing_charge_and_a_different_one_conflicts()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var first = await sandbox.ChargeAsync("ORD-IDEM", PaymentMethod.VirtualAccount);
        var again = await sandbox.ChargeAsync("ORD-IDEM", PaymentMethod.VirtualAccount);
        Assert.True(again.Existing);
        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.Equal(first.VaNumber, again.VaNumber);
        Assert.Equal(first.ExpiresAt, again.ExpiresAt);

        var otherAmount = await sandbox.Provider.ChargeAsync(new ChargeRequest("ORD-IDEM", new Rupiah(20_000), PaymentMethod.VirtualAccount, TimeSpan.FromMinutes(5)), Ct);
        Assert.Equal(PaymentErrors.OrderIdConflict, otherAmount.Error?.Code);
        var otherMethod = await sandbox.Provider.ChargeAsync(new ChargeRequest("ORD-IDEM", new Rupiah(10_000), PaymentMethod.Qris, TimeSpan.FromMinutes(5)), Ct);
        Assert.Equal(PaymentErrors.OrderIdConflict, otherMethod.Error?.Code);
        Assert.Single(await sandbox.Client.TransactionsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Pay_moves_the_status_to_settlement_and_into_the_settlement_report()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-PAY-1");
        await sandbox.ChargeAsync("ORD-PAY-2", PaymentMethod.VirtualAccount, 25_000);
        await sandbox.ChargeAsync("ORD-UNPAID");

        var before = await sandbox.Provider.GetStatusAsync("ORD-PAY-1", Ct);
        Assert.Equal(TransactionStatus.Pending, before.Value.Status);
        Assert.False(before.Value.IsPaid);

        Assert.Equal(TransactionStatus.Settlement, (await sandbox.Client.PayAsync("ORD-PAY-1", Ct)).Value);
        Assert.Equal(TransactionStatus.Settlement, (await sandbox.Client.PayAsync("ORD-PAY-2", Ct)).Value);
        Assert.Equal(TransactionStatus.Settlement, (await sandbox.Client.PayAsync("ORD-PAY-1", Ct)).Value); // paying twice changes nothing

        var status = await sandbox.Provider.GetStatusAsync("ORD-PAY-1", Ct);
        Assert.True(status.IsOk, status.Error?.ToString());
        Assert.Equal(TransactionStatus.Settlement, status.Value.Status);
        Assert.True(status.Value.IsPaid);
        Assert.NotNull(status.Value.SettlementTime);

        var day = GatewayTime.WibDate(status.Value.SettlementTime!.Value);
        var report = await sandbox.Provider.GetSettlementReportAsync(day, Ct);
        Assert.True(report.IsOk, report.Error?.ToString());
        Assert.Equal(["ORD-PAY-1", "ORD-PAY-2"], report.Value.Transactions.Select(t => t.OrderId).Order());
        Assert.Equal(new Rupiah(35_000), report.Value.TotalGross);

        var otherDay = await sandbox.Provider.GetSettlementReportAsync(day.AddDays(-1), Ct);
        Assert.Empty(otherDay.Value.Transactions);
    }

    [Fact]
    public async Task Refunds_partially_then_fully_once_per_key()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-R");
        var early = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(1_000), "rf-0"), Ct);
        Assert.Equal(PaymentErrors.RefundNotAllowed, early.Error?.Code); // nothing paid yet
        await sandbox.Client.PayAsync("ORD-R", Ct);

        var part = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(4_000), "rf-1", "buyer asked"), Ct);
        Assert.True(part.IsOk, part.Error?.ToString());
        Assert.Equal(TransactionStatus.PartialRefund, part.Value.Status);
        Assert.Equal(new Rupiah(4_000), part.Value.TotalRefunded);

        var repeat = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(4_000), "rf-1"), Ct);
        Assert.True(repeat.IsOk);
        Assert.Equal(part.Value, repeat.Value); // the same refund, not a second one
        var conflict = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(5_000), "rf-1"), Ct);
        Assert.Equal(PaymentErrors.RefundKeyConflict, conflict.Error?.Code);
        var tooMuch = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(6_001), "rf-2"), Ct);
        Assert.Equal(PaymentErrors.RefundExceedsAmount, tooMuch.Error?.Code);

        var rest = await sandbox.Provider.RefundAsync(new RefundRequest("ORD-R", new Rupiah(6_000), "rf-3"), Ct);
        Assert.Equal(TransactionStatus.Refund, rest.Value.Status);
        Assert.Equal(new Rupiah(10_000), rest.Value.TotalRefunded);

        var status = await sandbox.Provider.GetStatusAsync("ORD-R", Ct);
        Assert.Equal(TransactionStatus.Refund, status.Value.Status);
        Assert.Equal(new Rupiah(10_000), status.Value.RefundedAmount);
        Assert.True(status.Value.WasPaid);

        // Still in the report of the day it settled, with what went back since.
        var report = await sandbox.Provider.GetSettlementReportAsync(GatewayTime.WibDate(status.Value.SettlementTime!.Value), Ct);
        var line = Assert.Single(report.Value.Transactions);
        Assert.Equal(TransactionStatus.Refund, line.CurrentStatus);
        Assert.Equal(new Rupiah(10_000), line.RefundedAmount);
    }

    [Fact]
    public async Task An_unknown_order_and_a_wrong_server_key_are_typed_errors()
    {
        await using var sandbox = await Sandbox.StartAsync();
        Assert.Equal(PaymentErrors.TransactionNotFound, (await sandbox.Provider.GetStatusAsync("ORD-NOPE", Ct)).Error?.Code);
        var stranger = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(sandbox.Server.BaseAddress, "not-our-key"));
        Assert.Equal(PaymentErrors.ProviderUnauthorized, (await stranger.GetStatusAsync("ORD-NOPE", Ct)).Error?.Code);
        var bad = await sandbox.Provider.ChargeAsync(new ChargeRequest("ORD/../x", new Rupiah(10_000), PaymentMethod.Qris, TimeSpan.FromMinutes(1)), Ct);
        Assert.Equal(PaymentErrors.ProviderRejected, bad.Error?.Code);
    }

    [Fact]
    public async Task Expiry_ends_an_unpaid_order_and_it_can_no_longer_be_paid()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-EXP-SWEEP", expiry: TimeSpan.FromSeconds(1));
        await sandbox.ChargeAsync("ORD-EXP-SIM");

        Assert.Equal(TransactionStatus.Expire, (await sandbox.Client.ExpireAsync("ORD-EXP-SIM", Ct)).Value);
        Assert.Equal(PaymentErrors.TransactionNotPending, (await sandbox.Client.PayAsync("ORD-EXP-SIM", Ct)).Error?.Code);

        // The sweeper expires the other one once its second is up.
        var swept = await Eventually.Until(() => sandbox.Provider.GetStatusAsync("ORD-EXP-SWEEP", Ct),
            r => r.IsOk && r.Value.Status == TransactionStatus.Expire, "expired by the sweeper");
        Assert.Null(swept.Value.SettlementTime);
        var pay = await sandbox.Client.PayAsync("ORD-EXP-SWEEP", Ct);
        Assert.False(pay.IsOk);
    }

    [Theory]
    [InlineData(OutageMode.Unavailable)]
    [InlineData(OutageMode.Reset)]
    public async Task An_outage_is_provider_unavailable_and_the_provider_comes_back(OutageMode mode)
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-OUT");
        await sandbox.Client.StartOutageAsync(TimeSpan.FromMinutes(5), mode, Ct);

        var during = await sandbox.Provider.GetStatusAsync("ORD-OUT", Ct);
        Assert.Equal(PaymentErrors.ProviderUnavailable, during.Error?.Code);
        var charge = await sandbox.Provider.ChargeAsync(new ChargeRequest("ORD-OUT-2", new Rupiah(10_000), PaymentMethod.Qris, TimeSpan.FromMinutes(5)), Ct);
        Assert.Equal(PaymentErrors.ProviderUnavailable, charge.Error?.Code);

        await sandbox.Client.EndOutageAsync(Ct);
        Assert.Equal(TransactionStatus.Pending, (await sandbox.Provider.GetStatusAsync("ORD-OUT", Ct)).Value.Status);
    }

    [Fact]
    public async Task A_provider_slower_than_the_timeout_is_provider_unavailable_not_a_hang()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-SLOW");
        await sandbox.Client.SetFaultsAsync(new FaultPatch { Slow = 1.0, SlowSeconds = 30 }, Ct);
        var r = await sandbox.ProviderWith(TimeSpan.FromMilliseconds(300)).GetStatusAsync("ORD-SLOW", Ct);
        Assert.Equal(PaymentErrors.ProviderUnavailable, r.Error?.Code);
        Assert.Contains("within", r.Error!.Message);
        await sandbox.Client.SetFaultsAsync(new FaultPatch { Slow = 0 }, Ct);
        Assert.True((await sandbox.Provider.GetStatusAsync("ORD-SLOW", Ct)).IsOk);
    }

    [Fact]
    public async Task Nothing_listening_is_provider_unavailable()
    {
        var provider = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(new Uri("http://127.0.0.1:1/"), "k"));
        var r = await provider.GetSettlementReportAsync(new DateOnly(2025, 1, 31), Ct);
        Assert.Equal(PaymentErrors.ProviderUnavailable, r.Error?.Code);
    }

    [Fact]
    public async Task A_status_answer_not_signed_with_our_key_is_refused()
    {
        // Something between us and the provider answers the status call itself: well-formed, but it cannot sign
        // with our server key. The challenge must not trust it.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var impostor = builder.Build();
        impostor.MapGet("/v2/{orderId}/status", (string orderId) =>
            Results.Json(new Dictionary<string, string>
            {
                ["status_code"] = "200", ["transaction_id"] = "t-1", ["order_id"] = orderId, ["payment_type"] = "qris",
                ["gross_amount"] = "10000.00", ["transaction_status"] = "settlement", ["fraud_status"] = "accept",
                ["transaction_time"] = "2025-01-31T10:00:00+07:00", ["expiry_time"] = "2025-01-31T10:15:00+07:00",
                ["settlement_time"] = "2025-01-31T10:01:00+07:00",
                ["signature_key"] = NotificationSignature.Compute(orderId, "200", "10000.00", "a-guessed-key"),
            }));
        await impostor.StartAsync(Ct);
        var provider = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(new Uri(impostor.Urls.First() + "/"), Sandbox.ServerKey));
        var r = await provider.GetStatusAsync("ORD-SIG", Ct);
        Assert.Equal(PaymentErrors.ProviderProtocol, r.Error?.Code);

        var honest = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(new Uri(impostor.Urls.First() + "/"), "a-guessed-key"));
        Assert.True((await honest.GetStatusAsync("ORD-SIG", Ct)).IsOk); // the same answer passes with the key it was signed with
        await impostor.StopAsync(Ct);
    }
}
