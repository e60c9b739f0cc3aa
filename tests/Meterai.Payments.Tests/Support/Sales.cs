using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Storage;

namespace Meterai.Payments.Tests.Support;

/// <summary>Test helpers for orders: stock to sell, orders, the provider's reports, balances.</summary>
public static class Sales
{
    public const string Provider = "paysim";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates the issuer's stock account and mints <paramref name="stamps"/> into it (idempotent per call id).</summary>
    public static async Task MintStockAsync(ILedgerStore ledger, long stamps)
    {
        var stock = QuotaAccounts.IssuerStock;
        Assert.All(await ledger.CreateAccountsAsync([stock], Ct), r => Assert.True(r.IsCommitted()));
        var result = await ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, stock.Id, stamps, TransferCode.Mint)], Ct);
        Assert.Equal(TransferResult.Ok, result[0]);
    }

    public static NewOrder NewOrder(IClock clock, Buyer? buyer = null, int quantity = 2, long fee = 1_500, string? key = null, TimeSpan? expiry = null)
    {
        var now = clock.UtcNow;
        return new NewOrder(OrderId.New(), buyer ?? Buyer.Applicant(LedgerId.New()), Meterai.Core.Channels.Channel.DirectId, quantity, UnitPrice.WithFee(new Rupiah(fee)), PaymentMethod.Qris, null,
            key, QuotaAccounts.IssuerStock.Id, now, now + (expiry ?? TimeSpan.FromMinutes(15)), now + TimeSpan.FromMinutes(3));
    }

    /// <summary>Places an order the way the service does: the buyer's account first, then the order.</summary>
    public static async Task<Order> PlaceAsync(MeteraiDatabase db, NewOrder order)
    {
        Assert.All(await db.Ledger.CreateAccountsAsync([order.Buyer.QuotaAccount()], Ct), r => Assert.True(r.IsCommitted()));
        var created = await db.Orders.CreateAsync(order, Ct);
        Assert.True(created.IsOk, created.Error?.ToString());
        return created.Value;
    }

    public static ProviderReport Report(Order order, TransactionStatus status, bool confirmed = true, ReportSource source = ReportSource.Reconciliation,
        Rupiah? amount = null) =>
        new(Provider, order.Id, status, FraudStatus.Accept, amount ?? order.Total, "tx-" + order.Id.Value, source, confirmed,
            TransactionStatusRules.WasPaid(status, FraudStatus.Accept) ? DateTimeOffset.UtcNow : null);

    public static async Task<long> BalanceAsync(ILedgerStore ledger, UInt128 account)
    {
        var found = await ledger.LookupAccountsAsync([account], Ct);
        return found.Count == 0 ? 0 : found[0].CreditsPosted - found[0].DebitsPosted;
    }

    public static async Task<bool> CreditExistsAsync(ILedgerStore ledger, Order order) =>
        (await ledger.LookupTransfersAsync([order.CreditTransferId], Ct)).Count == 1;

    public static async Task AssertAuditHoldsAsync(MeteraiDatabase db)
    {
        var audit = await db.AuditAsync(Ct);
        Assert.True(audit.AllHold, string.Join("; ", audit.Broken.Select(b => $"{b.Name}: {b.Detail}")));
    }
}
