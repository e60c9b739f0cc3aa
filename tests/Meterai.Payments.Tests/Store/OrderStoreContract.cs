using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Tests.Support;
using Meterai.Storage;
using Meterai.TestSupport;
using static Meterai.Payments.Tests.Support.Sales;

namespace Meterai.Payments.Tests.Store;

/// <summary>
/// The order store's contract, run on both backends: the one transaction (inbox, order, credit), its refusals, replays
/// from two nodes at once, paid-but-not-credited and its retry, late payments, refunds of unused stamps, claims and leases.
/// </summary>
public abstract class OrderStoreContract(DatabaseBackend backend) : IAsyncLifetime
{
    private MeteraiDatabase _db = null!;

    protected DatabaseBackend Backend => backend;

    public async ValueTask InitializeAsync()
    {
        _db = await backend.OpenAsync();
        await MintStockAsync(_db.Ledger, 1_000_000);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private IOrderStore Orders => _db.Orders;

    [Fact]
    public async Task An_order_is_recorded_before_any_charge_and_an_idempotency_key_returns_it()
    {
        var placed = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 3, fee: 2_000, key: "k-1"));
        Assert.Equal(OrderState.Created, placed.State);
        Assert.Equal(new Rupiah(36_000), placed.Total);
        Assert.Equal(OrderCredit.TransferIdFor(placed.Id), placed.CreditTransferId);
        Assert.Equal(placed, await Orders.GetAsync(placed.Id, Ct));

        var again = await Orders.CreateAsync(NewOrder(SystemClock.Instance, placed.Buyer, quantity: 3, fee: 2_000, key: "k-1"), Ct);
        Assert.Equal(placed.Id, again.Value.Id);
        var other = await Orders.CreateAsync(NewOrder(SystemClock.Instance, placed.Buyer, quantity: 4, fee: 2_000, key: "k-1"), Ct);
        Assert.Equal(OrderErrors.IdempotencyKeyReused, other.Error?.Code);
        Assert.Single(await Orders.ListByBuyerAsync(placed.Buyer, 0, 10, Ct));
        Assert.Equal(placed.Id, (await Orders.FindByIdempotencyKeyAsync(placed.Buyer, "k-1", Ct))?.Id);
    }

    [Fact]
    public async Task A_confirmed_settlement_credits_once_in_the_same_transaction_as_the_inbox_row()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 5));
        var charge = new OrderCharge("tx-1", "000201QR", null, null, new Uri("http://pay.example/x"), DateTimeOffset.UtcNow.AddMinutes(15));
        var charged = await Orders.ApplyAsync(Report(order, TransactionStatus.Pending, source: ReportSource.Charge) with { Charge = charge }, Ct);
        Assert.Equal(ReportVerdict.Applied, charged.Verdict);
        Assert.Equal(OrderState.PendingPayment, charged.Order!.State);
        Assert.Equal("000201QR", (await Orders.GetAsync(order.Id, Ct))!.Charge!.QrString);

        var settled = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        Assert.Equal(ReportVerdict.Applied, settled.Verdict);
        Assert.Equal(TransferResult.Ok, settled.Credit);
        var stored = (await Orders.GetAsync(order.Id, Ct))!;
        Assert.Equal(OrderState.Fulfilled, stored.State);
        Assert.NotNull(stored.PaidAt);
        Assert.NotNull(stored.FulfilledAt);
        Assert.Equal(5, await BalanceAsync(_db.Ledger, order.QuotaAccountId));

        // The same status again (a duplicate, or a replay): nothing more.
        var again = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        Assert.Equal(ReportVerdict.Duplicate, again.Verdict);
        Assert.Null(again.Credit);
        Assert.Equal(5, await BalanceAsync(_db.Ledger, order.QuotaAccountId));

        // An earlier status arriving late: recorded, changes nothing.
        var stale = await Orders.ApplyAsync(Report(order, TransactionStatus.Capture), Ct);
        Assert.Equal(ReportVerdict.Stale, stale.Verdict);
        Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);

        var inbox = await Orders.InboxAsync(order.Id, Ct);
        Assert.Equal([TransactionStatus.Pending, TransactionStatus.Capture, TransactionStatus.Settlement], inbox.Select(i => i.Status).Order().ToArray());
        Assert.Equal(ReportVerdict.Stale, inbox.Single(i => i.Status == TransactionStatus.Capture).Verdict);
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task Refusals_and_unconfirmed_credits_write_nothing()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance));
        var unconfirmed = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement, confirmed: false, source: ReportSource.Notification), Ct);
        Assert.Equal(ReportVerdict.NeedsConfirmation, unconfirmed.Verdict);
        var wrongAmount = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement, amount: order.Total + new Rupiah(1)), Ct);
        Assert.Equal(ReportVerdict.Refused, wrongAmount.Verdict);
        Assert.Equal(PaymentErrors.AmountMismatch, wrongAmount.Code);
        var unknown = await Orders.ApplyAsync(Report(order with { Id = OrderId.New() }, TransactionStatus.Settlement), Ct);
        Assert.Equal(PaymentErrors.OrderUnknown, unknown.Code);
        Assert.Null(unknown.Order);

        Assert.Empty(await Orders.InboxAsync(order.Id, Ct));
        Assert.Equal(OrderState.Created, (await Orders.GetAsync(order.Id, Ct))!.State);
        Assert.False(await CreditExistsAsync(_db.Ledger, order));
        Assert.Equal(0, await BalanceAsync(_db.Ledger, order.QuotaAccountId));

    }

    [Fact]
    public async Task An_unconfirmed_report_moves_no_order_and_writes_nothing()
    {
        // A notification's word (its status is not covered by the signature) never moves an order, in either direction.
        var open = await PlaceAsync(_db, NewOrder(SystemClock.Instance));
        foreach (var status in new[] { TransactionStatus.Pending, TransactionStatus.Expire, TransactionStatus.Cancel, TransactionStatus.Refund })
        {
            var claimed = await Orders.ApplyAsync(Report(open, status, confirmed: false, source: ReportSource.Notification), Ct);
            Assert.Equal(ReportVerdict.NeedsConfirmation, claimed.Verdict);
        }

        Assert.Empty(await Orders.InboxAsync(open.Id, Ct));
        Assert.Equal(OrderState.Created, (await Orders.GetAsync(open.Id, Ct))!.State);

        var fulfilled = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 3));
        await Orders.ApplyAsync(Report(fulfilled, TransactionStatus.Settlement), Ct);
        foreach (var status in new[] { TransactionStatus.PartialRefund, TransactionStatus.Refund, TransactionStatus.Expire })
        {
            var claimed = await Orders.ApplyAsync(Report(fulfilled, status, confirmed: false, source: ReportSource.Notification), Ct);
            Assert.Equal(ReportVerdict.NeedsConfirmation, claimed.Verdict);
        }

        var stored = (await Orders.GetAsync(fulfilled.Id, Ct))!;
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement, 0), (stored.State, stored.ProviderStatus, stored.RefundedQuantity));
        Assert.Equal([TransactionStatus.Settlement], (await Orders.InboxAsync(fulfilled.Id, Ct)).Select(i => i.Status).ToArray());
        Assert.Equal(3, await BalanceAsync(_db.Ledger, fulfilled.QuotaAccountId));

        // Replays and stale claims are still told apart without the provider: nothing to ask, nothing written.
        Assert.Equal(ReportVerdict.Duplicate, (await Orders.ApplyAsync(Report(fulfilled, TransactionStatus.Settlement, confirmed: false, source: ReportSource.Notification), Ct)).Verdict);
        Assert.Equal(ReportVerdict.Stale, (await Orders.ApplyAsync(Report(fulfilled, TransactionStatus.Capture, confirmed: false, source: ReportSource.Notification), Ct)).Verdict);
        Assert.Single(await Orders.InboxAsync(fulfilled.Id, Ct));
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task The_audit_notices_an_order_refunded_without_the_providers_word_and_a_confirmed_answer_repairs_it()
    {
        // Its own database: the broken row would fail every other test's audit.
        await using var own = backend.Provider == DatabaseProvider.Postgres ? (DatabaseBackend)new PostgresBackend() : new SqliteBackend();
        await using var db = await own.OpenAsync();
        await MintStockAsync(db.Ledger, 10);
        var order = await PlaceAsync(db, NewOrder(SystemClock.Instance, quantity: 2));
        await db.Orders.ApplyAsync(Report(order, TransactionStatus.Pending, source: ReportSource.Charge), Ct);
        await db.Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        await AssertAuditHoldsAsync(db);

        // What the old intake did with a signed settlement whose status was changed to refund.
        var now = own.Provider == DatabaseProvider.Postgres ? "now()" : "1";
        Assert.Equal(1, await own.ExecuteRawAsync($"UPDATE orders SET state = 6, provider_status = 7, refunded_at = {now} WHERE id = '{order.Id}'"));
        var audit = await db.AuditAsync(Ct);
        Assert.Equal(["orders_agree_with_provider"], audit.Broken.Select(b => b.Name).ToArray());

        // The provider's answer (a re-check) puts the order back where the provider and the books have it.
        var repaired = await db.Orders.ApplyAsync(Report(order, TransactionStatus.Settlement, source: ReportSource.Recheck), Ct);
        Assert.Equal((ReportVerdict.Applied, "order_repaired"), (repaired.Verdict, repaired.Code));
        var stored = (await db.Orders.GetAsync(order.Id, Ct))!;
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement, (DateTimeOffset?)null), (stored.State, stored.ProviderStatus, stored.RefundedAt));
        Assert.Equal(2, await BalanceAsync(db.Ledger, order.QuotaAccountId));
        await AssertAuditHoldsAsync(db);
        Assert.True((await db.Orders.RefundAsync(new NewRefund(RefundIds.New(), order.Id, 2, null, null, DateTimeOffset.UtcNow), order.Total, Ct)).IsOk);
        Assert.Equal(OrderState.Refunded, (await db.Orders.GetAsync(order.Id, Ct))!.State);
        await AssertAuditHoldsAsync(db);
    }

    [Fact]
    public async Task The_same_settlement_replayed_from_two_nodes_at_once_credits_exactly_once()
    {
        await using var second = await backend.OpenAsync();
        var orders = new List<Order>();
        for (var i = 0; i < 8; i++) orders.Add(await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 1 + i % 3)));

        // Every order's settlement applied 6 times from each node, all at once.
        var attempts = orders.SelectMany(o => Enumerable.Range(0, 12).Select(k => (Order: o, Store: k % 2 == 0 ? _db.Orders : second.Orders))).ToList();
        var results = await Task.WhenAll(attempts.Select(a => Task.Run(() => a.Store.ApplyAsync(Report(a.Order, TransactionStatus.Settlement), Ct))));

        foreach (var order in orders)
        {
            var mine = results.Where(r => r.Order?.Id == order.Id).ToList();
            Assert.Equal(1, mine.Count(r => r.Verdict == ReportVerdict.Applied));
            Assert.Equal(11, mine.Count(r => r.Verdict == ReportVerdict.Duplicate));
            Assert.Equal(order.Quantity, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
            Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);
        }

        Assert.Equal(0, (await Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Ct)).PaidNotCredited);
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task A_paid_order_the_stock_cannot_cover_stays_paid_and_visible_until_a_retry_credits_it()
    {
        var stockless = new NewAccount(LedgerId.New(), OwnerKind.Issuer, LedgerId.New(), AccountCode.IssuerStock, AccountFlags.DebitsMustNotExceedCredits);
        Assert.All(await _db.Ledger.CreateAccountsAsync([stockless], Ct), r => Assert.True(r.IsCommitted()));
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 4) with { StockAccountId = stockless.Id });

        var settled = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        Assert.Equal(ReportVerdict.Applied, settled.Verdict);
        Assert.Equal(TransferResult.ExceedsCredits, settled.Credit);
        var stored = (await Orders.GetAsync(order.Id, Ct))!;
        Assert.Equal(OrderState.Paid, stored.State);
        Assert.Equal("exceeds_credits", stored.CreditError);
        Assert.Equal(1, (await Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Ct)).PaidNotCredited);
        var audit = await _db.AuditAsync(Ct);
        Assert.Contains(audit.Broken, b => b.Name == PaymentInvariant.PaidOrdersCredited);

        Assert.Equal(ReportVerdict.Applied, (await Orders.RetryCreditAsync(order.Id, Ct)).Verdict);
        Assert.Equal(OrderState.Paid, (await Orders.GetAsync(order.Id, Ct))!.State);

        await _db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, stockless.Id, 10, TransferCode.Mint)], Ct);
        var retried = await Orders.RetryCreditAsync(order.Id, Ct);
        Assert.Equal(TransferResult.Ok, retried.Credit);
        Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);
        Assert.Equal(4, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
        Assert.Equal(ReportVerdict.Duplicate, (await Orders.RetryCreditAsync(order.Id, Ct)).Verdict);
        Assert.Equal(0, (await Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Ct)).PaidNotCredited);
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task A_payment_confirmed_after_the_order_expired_is_credited_as_a_late_payment()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 2));
        Assert.Equal(OrderState.Expired, (await Orders.ApplyAsync(Report(order, TransactionStatus.Expire), Ct)).Order!.State);

        var claimed = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement, confirmed: false, source: ReportSource.Notification), Ct);
        Assert.Equal(ReportVerdict.NeedsConfirmation, claimed.Verdict);
        Assert.Equal(PaymentErrors.StatusContradiction, claimed.Code);

        var confirmed = await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement, source: ReportSource.Notification), Ct);
        Assert.Equal(ReportVerdict.Applied, confirmed.Verdict);
        Assert.Equal("late_payment", confirmed.Code);
        var stored = (await Orders.GetAsync(order.Id, Ct))!;
        Assert.Equal(OrderState.Fulfilled, stored.State);
        Assert.True(stored.LatePayment);
        Assert.NotNull(stored.ExpiredAt);
        Assert.Equal(2, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task A_paid_order_never_lapses_even_when_the_provider_says_expire()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance));
        await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        var expire = await Orders.ApplyAsync(Report(order, TransactionStatus.Expire), Ct);
        Assert.Equal(ReportVerdict.Refused, expire.Verdict);
        Assert.Equal(PaymentErrors.StatusContradiction, expire.Code);
        Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);
        Assert.Equal(order.Quantity, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
    }

    [Fact]
    public async Task A_refund_takes_back_only_unused_stamps_once_per_key()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 3, fee: 1_000));
        Assert.Equal(OrderErrors.RefundNotAllowed, (await Orders.RefundAsync(new NewRefund(RefundIds.New(), order.Id, 1, null, null, DateTimeOffset.UtcNow), new Rupiah(11_000), Ct)).Error?.Code);
        await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);

        var key = RefundIds.For(order.Id, "client-key");
        var first = await Orders.RefundAsync(new NewRefund(key, order.Id, 2, "not needed", "op-1", DateTimeOffset.UtcNow), new Rupiah(22_000), Ct);
        Assert.True(first.IsOk, first.Error?.ToString());
        Assert.Equal(RefundState.Reversed, first.Value.State);
        Assert.Equal(1, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
        var reversal = Assert.Single(await _db.Ledger.LookupTransfersAsync([OrderCredit.RefundTransferIdFor(key)], Ct));
        Assert.Equal((order.QuotaAccountId, SystemAccounts.Refunded.Id, 2L), (reversal.Transfer.DebitAccountId, reversal.Transfer.CreditAccountId, reversal.Transfer.Amount));

        var replay = await Orders.RefundAsync(new NewRefund(key, order.Id, 2, "not needed", "op-1", DateTimeOffset.UtcNow), new Rupiah(22_000), Ct);
        Assert.Equal(first.Value.Id, replay.Value.Id);
        Assert.Equal(1, await BalanceAsync(_db.Ledger, order.QuotaAccountId));
        Assert.Equal(OrderErrors.RefundKeyReused, (await Orders.RefundAsync(new NewRefund(key, order.Id, 1, null, null, DateTimeOffset.UtcNow), new Rupiah(11_000), Ct)).Error?.Code);
        Assert.Equal(OrderErrors.RefundExceedsOrder, (await Orders.RefundAsync(new NewRefund(RefundIds.New(), order.Id, 2, null, null, DateTimeOffset.UtcNow), new Rupiah(22_000), Ct)).Error?.Code);

        // The last stamp is used: it can no longer be refunded.
        Assert.Equal(TransferResult.Ok, (await _db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), order.QuotaAccountId, SystemAccounts.Consumed.Id, 1, TransferCode.Stamp)], Ct))[0]);
        var used = await Orders.RefundAsync(new NewRefund(RefundIds.New(), order.Id, 1, null, null, DateTimeOffset.UtcNow), new Rupiah(11_000), Ct);
        Assert.Equal(OrderErrors.QuotaAlreadyUsed, used.Error?.Code);
        Assert.Single(await Orders.RefundsAsync(order.Id, Ct));
        Assert.Equal(2, (await Orders.GetAsync(order.Id, Ct))!.RefundedQuantity);

        var receipt = new RefundReceipt(order.Id.Value, key, new Rupiah(22_000), new Rupiah(22_000), TransactionStatus.PartialRefund, DateTimeOffset.UtcNow);
        Assert.Equal(RefundState.Completed, (await Orders.CompleteRefundAsync(key, receipt, Ct)).State);
        Assert.Equal(RefundState.Completed, (await Orders.CompleteRefundAsync(key, receipt, Ct)).State);
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task Refunding_every_stamp_moves_the_order_to_refunded()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance, quantity: 2));
        await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        Assert.True((await Orders.RefundAsync(new NewRefund(RefundIds.New(), order.Id, 2, null, null, DateTimeOffset.UtcNow), order.Total, Ct)).IsOk);
        var stored = (await Orders.GetAsync(order.Id, Ct))!;
        Assert.Equal(OrderState.Refunded, stored.State);
        Assert.NotNull(stored.RefundedAt);
        // The provider's own notification of that refund changes nothing more.
        Assert.Equal(OrderState.Refunded, (await Orders.ApplyAsync(Report(order, TransactionStatus.Refund), Ct)).Order!.State);
        await AssertAuditHoldsAsync(_db);
    }

    [Fact]
    public async Task A_status_recorded_on_a_notifications_word_is_confirmed_or_set_aside_by_the_providers_answer()
    {
        await using var own = backend.Provider == DatabaseProvider.Postgres ? (DatabaseBackend)new PostgresBackend() : new SqliteBackend();
        await using var db = await own.OpenAsync();
        await MintStockAsync(db.Ledger, 10);
        var now = own.Provider == DatabaseProvider.Postgres ? "now()" : "1";

        // Two orders the old intake expired on a signed expire notification: an unconfirmed inbox row, the order expired.
        async Task<Order> ExpiredOnItsWordAsync()
        {
            var order = await PlaceAsync(db, NewOrder(SystemClock.Instance));
            await db.Orders.ApplyAsync(Report(order, TransactionStatus.Pending, source: ReportSource.Charge), Ct);
            Assert.Equal(1, await own.ExecuteRawAsync(
                $"INSERT INTO payment_inbox (provider, order_id, status, paid, source, verdict, received_at, confirmed) VALUES ('{Provider}', '{order.Id}', 5, 0, 2, 0, {now}, 0)"));
            Assert.Equal(1, await own.ExecuteRawAsync($"UPDATE orders SET state = 5, provider_status = 5, expired_at = {now} WHERE id = '{order.Id}'"));
            return order;
        }

        var confirmedLater = await ExpiredOnItsWordAsync();
        var stillOpen = await ExpiredOnItsWordAsync();
        Assert.Contains((await db.AuditAsync(Ct)).Broken, b => b.Name == PaymentInvariant.OrdersAgreeWithProvider);
        Assert.False(Assert.Single(await db.Orders.InboxAsync(confirmedLater.Id, Ct), i => i.Status == TransactionStatus.Expire).Confirmed);
        // Only a row's confirmation may change, and only one way.
        await Assert.ThrowsAnyAsync<Exception>(() => own.ExecuteRawAsync($"UPDATE payment_inbox SET source = 3 WHERE order_id = '{confirmedLater.Id}' AND status = 5"));

        // The provider confirms the expiry: the row becomes the provider's word, the order stays expired.
        var confirmed = await db.Orders.ApplyAsync(Report(confirmedLater, TransactionStatus.Expire), Ct);
        Assert.Equal(OrderState.Expired, confirmed.Order!.State);
        Assert.True(Assert.Single(await db.Orders.InboxAsync(confirmedLater.Id, Ct), i => i.Status == TransactionStatus.Expire).Confirmed);
        await Assert.ThrowsAnyAsync<Exception>(() => own.ExecuteRawAsync($"UPDATE payment_inbox SET confirmed = 0 WHERE order_id = '{confirmedLater.Id}' AND status = 5"));

        // The provider says the other is still open: it awaits payment again, and a payment is an ordinary one.
        var reopened = await db.Orders.ApplyAsync(Report(stillOpen, TransactionStatus.Pending), Ct);
        Assert.Equal((ReportVerdict.Applied, OrderRules.OrderRepaired), (reopened.Verdict, reopened.Code));
        Assert.Equal((OrderState.PendingPayment, TransactionStatus.Pending, (DateTimeOffset?)null), (reopened.Order!.State, reopened.Order.ProviderStatus, reopened.Order.ExpiredAt));
        await AssertAuditHoldsAsync(db);
        var paid = await db.Orders.ApplyAsync(Report(stillOpen, TransactionStatus.Settlement), Ct);
        Assert.Equal((OrderState.Fulfilled, false), (paid.Order!.State, paid.Order.LatePayment));
        await AssertAuditHoldsAsync(db);
    }

    [Fact]
    public async Task Two_nodes_claiming_due_orders_at_once_get_disjoint_sets_and_a_lease()
    {
        await using var second = await backend.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var placed = new List<Order>();
        for (var i = 0; i < 30; i++) placed.Add(await PlaceAsync(_db, NewOrder(SystemClock.Instance) with { FirstCheckAt = now.AddSeconds(-1) }));
        var ids = placed.Select(o => o.Id).ToHashSet();

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(k => Task.Run(() => (k % 2 == 0 ? _db.Orders : second.Orders).ClaimDueAsync(now, 7, TimeSpan.FromMinutes(1), Ct))));
        var mine = claims.SelectMany(c => c).Where(o => ids.Contains(o.Id)).ToList();
        Assert.Equal(mine.Count, mine.Select(o => o.Id).Distinct().Count());
        Assert.All(mine, o => Assert.Equal(1, o.Checks));
        Assert.All(mine, o => Assert.True(o.NextCheckAt > now.AddSeconds(50)));

        // Once the lease ran out (or was rescheduled), they are due again.
        var rest = await _db.Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(ids.Count, mine.Count + rest.Count(o => ids.Contains(o.Id)));
        Assert.DoesNotContain(await _db.Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct), o => ids.Contains(o.Id));
        await _db.Orders.RescheduleAsync(placed[0].Id, now.AddSeconds(-5), Ct);
        Assert.Contains(await second.Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct), o => o.Id == placed[0].Id);

        // A fulfilled order is never due.
        await Orders.ApplyAsync(Report(placed[1], TransactionStatus.Settlement), Ct);
        await _db.Orders.RescheduleAsync(placed[1].Id, now.AddSeconds(-5), Ct);
        Assert.DoesNotContain(await _db.Orders.ClaimDueAsync(now.AddHours(1), 1000, TimeSpan.FromMinutes(1), Ct), o => o.Id == placed[1].Id);
    }

    [Fact]
    public async Task A_deferred_recheck_makes_an_order_of_any_state_due_once_and_a_deferral_during_the_claim_is_kept()
    {
        await using var second = await backend.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance) with { FirstCheckAt = now.AddHours(1) });
        await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        Assert.Null((await Orders.GetAsync(order.Id, Ct))!.RecheckAt);
        Assert.DoesNotContain(await Orders.ClaimDueAsync(now.AddDays(1), 1000, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);

        // A notification about the fulfilled order could not be confirmed: it is due, for one node at a time.
        await Orders.DeferToReconciliationAsync(order.Id, now.AddSeconds(-1), Ct);
        await Orders.DeferToReconciliationAsync(order.Id, now.AddSeconds(30), Ct); // a later deferral does not postpone it
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(k => Task.Run(() => (k % 2 == 0 ? _db.Orders : second.Orders).ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct))));
        var claimed = Assert.Single(claims.SelectMany(c => c), o => o.Id == order.Id);
        Assert.Equal(OrderState.Fulfilled, claimed.State);
        Assert.True(claimed.RecheckAt > now.AddSeconds(50));
        Assert.DoesNotContain(await Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);

        // Another copy is deferred while the claim asks the provider: ending the claim keeps it.
        await second.Orders.DeferToReconciliationAsync(order.Id, now, Ct);
        await Orders.EndRecheckAsync(order.Id, claimed.RecheckAt!.Value, null, Ct);
        var again = Assert.Single(await Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);

        // The provider did not answer: due again later; then it answered: nothing is due.
        await Orders.EndRecheckAsync(order.Id, again.RecheckAt!.Value, now.AddSeconds(10), Ct);
        Assert.DoesNotContain(await Orders.ClaimDueAsync(now, 100, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);
        var third = Assert.Single(await Orders.ClaimDueAsync(now.AddSeconds(11), 100, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);
        await Orders.EndRecheckAsync(order.Id, third.RecheckAt!.Value, null, Ct);
        Assert.Null((await Orders.GetAsync(order.Id, Ct))!.RecheckAt);
        Assert.DoesNotContain(await Orders.ClaimDueAsync(now.AddDays(1), 1000, TimeSpan.FromMinutes(1), Ct), o => o.Id == order.Id);
        Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);
    }

    [Fact]
    public async Task Pages_for_the_provider_comparison_leave_out_only_final_statuses_the_provider_confirmed()
    {
        // Its own database: the order broken on purpose would fail every other test's audit.
        await using var own = backend.Provider == DatabaseProvider.Postgres ? (DatabaseBackend)new PostgresBackend() : new SqliteBackend();
        await using var db = await own.OpenAsync();
        await MintStockAsync(db.Ledger, 10);
        var open = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        var fulfilled = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        await db.Orders.ApplyAsync(Report(fulfilled, TransactionStatus.Settlement), Ct);
        var expired = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        await db.Orders.ApplyAsync(Report(expired, TransactionStatus.Expire), Ct);
        var refunded = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        await db.Orders.ApplyAsync(Report(refunded, TransactionStatus.Settlement), Ct);
        await db.Orders.ApplyAsync(Report(refunded, TransactionStatus.Refund), Ct);
        // Refunded on a notification's word before issue 10: its final status is not confirmed, so the provider is asked.
        var unconfirmed = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        await db.Orders.ApplyAsync(Report(unconfirmed, TransactionStatus.Settlement), Ct);
        var now = own.Provider == DatabaseProvider.Postgres ? "now()" : "1";
        Assert.Equal(1, await own.ExecuteRawAsync($"UPDATE orders SET state = 6, provider_status = 7, refunded_at = {now} WHERE id = '{unconfirmed.Id}'"));
        var mine = new[] { open, fulfilled, expired, refunded, unconfirmed }.Select(o => o.Id).ToHashSet();

        async Task<List<OrderId>> AllPagesAsync(bool includeFinal)
        {
            var seen = new List<OrderId>();
            OrderId? after = null;
            while (await db.Orders.ListForProviderCheckAsync(after, 2, includeFinal, Ct) is { Count: > 0 } page)
            {
                Assert.True(page.Count <= 2);
                seen.AddRange(page.Select(o => o.Id));
                after = page[^1].Id;
            }

            return seen;
        }

        var some = await AllPagesAsync(includeFinal: false);
        Assert.Equal(some.Count, some.Distinct().Count());
        Assert.Equal(some.Select(i => i.Value).Order(StringComparer.Ordinal), some.Select(i => i.Value));
        Assert.Equal(new[] { open.Id, fulfilled.Id, unconfirmed.Id }.ToHashSet(), some.ToHashSet());
        var every = await AllPagesAsync(includeFinal: true);
        Assert.Equal(mine, every.ToHashSet());
    }

    [Fact]
    public async Task A_lease_is_held_by_one_node_until_it_runs_out()
    {
        var now = DateTimeOffset.UtcNow;
        var name = "lease-" + Guid.NewGuid().ToString("N");
        Assert.True(await Orders.TryAcquireLeaseAsync(name, "a", now, TimeSpan.FromMinutes(5), Ct));
        Assert.False(await Orders.TryAcquireLeaseAsync(name, "b", now.AddMinutes(1), TimeSpan.FromMinutes(5), Ct));
        await Orders.CompleteLeaseAsync(name, "a", now.AddMinutes(1), now.AddMinutes(60), Ct);
        Assert.False(await Orders.TryAcquireLeaseAsync(name, "b", now.AddMinutes(30), TimeSpan.FromMinutes(5), Ct));
        Assert.True(await Orders.TryAcquireLeaseAsync(name, "b", now.AddMinutes(61), TimeSpan.FromMinutes(5), Ct));
        var lease = (await Orders.HealthAsync(now, now, Ct)).Workers.Single(w => w.Name == name);
        Assert.Equal("b", lease.Holder);
    }

    [Fact]
    public async Task Events_are_kept_with_their_reason_and_deduplicated_by_key()
    {
        var at = DateTimeOffset.UtcNow;
        var orderId = "MTR-UNKNOWN-" + Guid.NewGuid().ToString("N")[..8];
        await Orders.RecordEventAsync(new PaymentEvent(at, "notification", "signature_invalid", "forged", orderId), Ct);
        await Orders.RecordEventAsync(new PaymentEvent(at, "settlement_report", "order_unknown", "x", orderId, DedupeKey: "d:" + orderId), Ct);
        await Orders.RecordEventAsync(new PaymentEvent(at, "settlement_report", "order_unknown", "x", orderId, DedupeKey: "d:" + orderId), Ct);
        var events = await Orders.EventsAsync(orderId, 10, Ct);
        Assert.Equal(["order_unknown", "signature_invalid"], events.Select(e => e.Event.Code).ToArray());
        Assert.True((await Orders.HealthAsync(at, at, Ct)).EventsLastDayByCode["signature_invalid"] >= 1);
    }

    [Fact]
    public async Task The_database_refuses_a_state_going_backwards_and_edits_of_the_inbox()
    {
        var order = await PlaceAsync(_db, NewOrder(SystemClock.Instance));
        await Orders.ApplyAsync(Report(order, TransactionStatus.Settlement), Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => backend.ExecuteRawAsync($"UPDATE orders SET state = 2 WHERE id = '{order.Id}'"));
        await Assert.ThrowsAnyAsync<Exception>(() => backend.ExecuteRawAsync($"UPDATE orders SET quantity = 99 WHERE id = '{order.Id}'"));
        await Assert.ThrowsAnyAsync<Exception>(() => backend.ExecuteRawAsync($"DELETE FROM payment_inbox WHERE order_id = '{order.Id}'"));
        await Assert.ThrowsAnyAsync<Exception>(() => backend.ExecuteRawAsync($"DELETE FROM orders WHERE id = '{order.Id}'"));
        Assert.Equal(OrderState.Fulfilled, (await Orders.GetAsync(order.Id, Ct))!.State);
    }

    [Fact]
    public async Task The_audit_notices_an_order_marked_fulfilled_without_its_credit()
    {
        // Its own database: the broken row would fail every other test's audit.
        await using var own = backend.Provider == DatabaseProvider.Postgres ? (DatabaseBackend)new PostgresBackend() : new SqliteBackend();
        await using var db = await own.OpenAsync();
        await MintStockAsync(db.Ledger, 10);
        var order = await PlaceAsync(db, NewOrder(SystemClock.Instance));
        await db.Orders.ApplyAsync(Report(order, TransactionStatus.Pending), Ct);
        await AssertAuditHoldsAsync(db);
        var fake = own.Provider == DatabaseProvider.Postgres ? "now()" : "1";
        Assert.Equal(1, await own.ExecuteRawAsync($"UPDATE orders SET state = 4, paid_at = {fake}, fulfilled_at = {fake} WHERE id = '{order.Id}'"));
        var audit = await db.AuditAsync(Ct);
        Assert.Contains(audit.Broken, b => b.Name == PaymentInvariant.FulfilledOrdersCredited);
        Assert.Contains(audit.Broken, b => b.Name == PaymentInvariant.PaidOrdersCredited);
    }
}

public sealed class SqliteOrderStoreTests(SqliteBackend backend) : OrderStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresOrderStoreTests(PostgresBackend backend) : OrderStoreContract(backend), IClassFixture<PostgresBackend>;
