using Meterai.Core.Common;
using Meterai.Core.Payments;
using Meterai.PaySim.Transactions;
using Microsoft.Data.Sqlite;

namespace Meterai.PaySim.Store;

/// <summary>What a charge asks for, already validated by the API.</summary>
public sealed record ChargeCommand(string OrderId, Rupiah Amount, PaymentMethod Method, string? Bank, TimeSpan Expiry);

/// <summary>A refund as recorded: repeating its key returns this same row.</summary>
public sealed record RefundRecord(string OrderId, string RefundKey, Rupiah Amount, Rupiah TotalAfter, TransactionStatus StatusAfter, string? Reason, DateTimeOffset RefundedAt);

/// <summary>
/// The sandbox's transactions and every change to them. Each change and the notification reporting it are written in
/// one SQLite transaction (<see cref="OutboxStore.Enqueue"/>), so the outbox never misses a change nor reports one
/// that did not happen.
/// </summary>
internal sealed class TransactionStore(PaySimDatabase db, OutboxStore outbox, IClock clock)
{
    private const string Columns =
        "order_id, merchant_id, transaction_id, payment_type, bank, va_number, qr_string, gross_amount, status, fraud_status, refunded_amount, events, transaction_time, expiry_time, settlement_time";

    public async Task<Result<(SimTransaction Transaction, bool Existing)>> ChargeAsync(Merchant merchant, ChargeCommand command, string transactionId)
    {
        var outcome = await db.WriteAsync<Result<(SimTransaction, bool)>>((c, t) =>
        {
            if (Get(c, t, command.OrderId) is { } existing)
            {
                if (existing.MerchantId != merchant.MerchantId || existing.Method != command.Method || existing.GrossAmount != command.Amount
                    || (command.Bank is not null && existing.Bank != command.Bank))
                {
                    return new Error(PaymentErrors.OrderIdConflict,
                        $"order {command.OrderId} was already charged as {existing.Method.ToWire()} for {existing.GrossAmount.ToGatewayString()}; an order id is charged once");
                }

                return (existing, true);
            }

            var now = clock.UtcNow;
            var seq = (long)c.Scalar(t, "SELECT COALESCE(MAX(seq), 0) + 1 FROM transactions")!;
            string? bank = null, va = null, qr = null;
            if (command.Method == PaymentMethod.VirtualAccount)
            {
                bank = command.Bank ?? VirtualAccounts.DefaultBank;
                va = VirtualAccounts.Number(bank, seq);
            }
            else
            {
                qr = QrisPayload.Build(merchant.MerchantId, command.OrderId, transactionId, command.Amount);
            }

            c.Execute(t,
                """
                INSERT INTO transactions (seq, order_id, merchant_id, transaction_id, payment_type, bank, va_number, qr_string, gross_amount,
                                          status, fraud_status, transaction_time, expiry_time, updated_at)
                VALUES ($seq, $o, $m, $tid, $type, $bank, $va, $qr, $amount, 'pending', 'accept', $now, $exp, $now)
                """,
                ("$seq", seq), ("$o", command.OrderId), ("$m", merchant.MerchantId), ("$tid", transactionId), ("$type", command.Method.ToWire()),
                ("$bank", bank), ("$va", va), ("$qr", qr), ("$amount", command.Amount.Value), ("$now", Sql.Ms(now)), ("$exp", Sql.Ms(now + command.Expiry)));
            var created = Get(c, t, command.OrderId)!;
            outbox.Enqueue(c, t, created, now);
            return (Get(c, t, command.OrderId)!, false);
        });
        if (outcome.IsOk && !outcome.Value.Item2) outbox.Wake();
        return outcome;
    }

    public SimTransaction? Get(string orderId)
    {
        using var c = db.Open();
        return Get(c, null, orderId);
    }

    /// <summary>The buyer pays: pending → settlement. Paying a paid order again changes nothing (the bank would refuse the second transfer).</summary>
    public async Task<Result<SimTransaction>> PayAsync(string orderId)
    {
        var result = await db.WriteAsync<Result<SimTransaction>>((c, t) =>
        {
            var now = clock.UtcNow;
            var tx = Get(c, t, orderId);
            if (tx is null) return NotFound(orderId);
            if (TransactionStatusRules.WasPaid(tx.Status, tx.Fraud)) return tx;
            if (tx.Status != TransactionStatus.Pending) return NotPending(tx);
            if (tx.ExpiryTime <= now)
            {
                // The sweeper had not come round yet; expiring here keeps pay-after-expiry impossible.
                MoveTo(c, t, tx, TransactionStatus.Expire, now, settlementTime: null);
                return Result<SimTransaction>.Fail(PaymentErrors.TransactionExpired, $"order {orderId} expired at {GatewayTime.ToWire(tx.ExpiryTime)}");
            }

            return MoveTo(c, t, tx, TransactionStatus.Settlement, now, settlementTime: now);
        });
        outbox.Wake();
        return result;
    }

    /// <summary>pending → expire; when <paramref name="force"/> is false only once the expiry time has passed.</summary>
    public async Task<Result<SimTransaction>> ExpireAsync(string orderId, bool force)
    {
        var result = await db.WriteAsync<Result<SimTransaction>>((c, t) =>
        {
            var now = clock.UtcNow;
            var tx = Get(c, t, orderId);
            if (tx is null) return NotFound(orderId);
            if (tx.Status != TransactionStatus.Pending) return NotPending(tx);
            if (!force && tx.ExpiryTime > now) return tx;
            return MoveTo(c, t, tx, TransactionStatus.Expire, now, settlementTime: null);
        });
        outbox.Wake();
        return result;
    }

    /// <summary>Pending transactions past their expiry, oldest first (the sweeper expires them one by one).</summary>
    public List<string> PendingPastExpiry(int limit)
    {
        using var c = db.Open();
        return c.Query(null, "SELECT order_id FROM transactions WHERE status = 'pending' AND expiry_time <= $now ORDER BY expiry_time LIMIT $limit",
            r => r.GetString(0), ("$now", Sql.Ms(clock.UtcNow)), ("$limit", limit));
    }

    /// <summary>
    /// Gives money back on a settled transaction. A repeated key returns the first refund (and refuses a different
    /// amount under the same key); refunds never exceed what was paid.
    /// </summary>
    public async Task<Result<RefundRecord>> RefundAsync(Merchant merchant, string orderId, Rupiah? amount, string refundKey, string? reason)
    {
        var result = await db.WriteAsync<Result<RefundRecord>>((c, t) =>
        {
            var tx = Get(c, t, orderId);
            if (tx is null || tx.MerchantId != merchant.MerchantId) return NotFound(orderId);
            var earlier = c.Query(t,
                "SELECT order_id, refund_key, amount, total_after, status_after, reason, refunded_at FROM refunds WHERE order_id = $o AND refund_key = $k",
                ReadRefund, ("$o", orderId), ("$k", refundKey)).FirstOrDefault();
            if (earlier is not null)
            {
                return amount is null || amount == earlier.Amount
                    ? earlier
                    : Result<RefundRecord>.Fail(PaymentErrors.RefundKeyConflict,
                        $"refund key {refundKey} already refunded {earlier.Amount.ToGatewayString()} on order {orderId}, not {amount.Value.ToGatewayString()}");
            }

            if (tx.Status is not (TransactionStatus.Settlement or TransactionStatus.PartialRefund))
            {
                return Result<RefundRecord>.Fail(PaymentErrors.RefundNotAllowed, $"order {orderId} is {tx.Status.ToWire()}: only settled transactions can be refunded");
            }

            var remaining = tx.GrossAmount - tx.RefundedAmount;
            var give = amount ?? remaining;
            if (give <= Rupiah.Zero || give > remaining)
            {
                return Result<RefundRecord>.Fail(PaymentErrors.RefundExceedsAmount,
                    $"order {orderId} has {remaining.ToGatewayString()} left to refund; {give.ToGatewayString()} was asked");
            }

            var now = clock.UtcNow;
            var total = tx.RefundedAmount + give;
            var status = total == tx.GrossAmount ? TransactionStatus.Refund : TransactionStatus.PartialRefund;
            c.Execute(t, "UPDATE transactions SET refunded_amount = $r WHERE order_id = $o", ("$r", total.Value), ("$o", orderId));
            MoveTo(c, t, tx with { RefundedAmount = total }, status, now, tx.SettlementTime);
            var record = new RefundRecord(orderId, refundKey, give, total, status, reason, now);
            c.Execute(t,
                """
                INSERT INTO refunds (order_id, refund_key, amount, total_after, status_after, reason, refunded_at)
                VALUES ($o, $k, $a, $total, $s, $reason, $now)
                """,
                ("$o", orderId), ("$k", refundKey), ("$a", give.Value), ("$total", total.Value), ("$s", status.ToWire()), ("$reason", reason), ("$now", Sql.Ms(now)));
            return record;
        });
        outbox.Wake();
        return result;
    }

    /// <summary>Every transaction of the merchant settled on a WIB day, in settlement order.</summary>
    public List<SimTransaction> SettledOn(string merchantId, DateOnly date)
    {
        var (start, end) = GatewayTime.WibDay(date);
        using var c = db.Open();
        return c.Query(null,
            $"SELECT {Columns} FROM transactions WHERE merchant_id = $m AND settlement_time >= $start AND settlement_time < $end ORDER BY settlement_time, order_id",
            Read, ("$m", merchantId), ("$start", Sql.Ms(start)), ("$end", Sql.Ms(end)));
    }

    public List<SimTransaction> List(TransactionStatus? status)
    {
        using var c = db.Open();
        return status is null
            ? c.Query(null, $"SELECT {Columns} FROM transactions ORDER BY seq", Read)
            : c.Query(null, $"SELECT {Columns} FROM transactions WHERE status = $s ORDER BY seq", Read, ("$s", status.Value.ToWire()));
    }

    private SimTransaction MoveTo(SqliteConnection c, SqliteTransaction t, SimTransaction tx, TransactionStatus status, DateTimeOffset now, DateTimeOffset? settlementTime)
    {
        var furtherRefund = tx.Status == TransactionStatus.PartialRefund && status == TransactionStatus.PartialRefund;
        if (!furtherRefund && !TransactionStatusRules.CanMove(tx.Status, status)) throw new InvalidOperationException($"{tx.OrderId}: {tx.Status} -> {status} is not a forward move");
        c.Execute(t, "UPDATE transactions SET status = $s, settlement_time = $st, updated_at = $now WHERE order_id = $o",
            ("$s", status.ToWire()), ("$st", settlementTime is { } st ? Sql.Ms(st) : null), ("$now", Sql.Ms(now)), ("$o", tx.OrderId));
        var moved = Get(c, t, tx.OrderId)!;
        outbox.Enqueue(c, t, moved, now);
        return Get(c, t, tx.OrderId)!;
    }

    private static SimTransaction? Get(SqliteConnection c, SqliteTransaction? t, string orderId) =>
        c.Query(t, $"SELECT {Columns} FROM transactions WHERE order_id = $o", Read, ("$o", orderId)).FirstOrDefault();

    private static Error NotFound(string orderId) => new(PaymentErrors.TransactionNotFound, $"no transaction for order {orderId}");

    private static Error NotPending(SimTransaction tx) =>
        new(PaymentErrors.TransactionNotPending, $"order {tx.OrderId} is {tx.Status.ToWire()}, not pending");

    private static SimTransaction Read(SqliteDataReader r)
    {
        PaymentMethodNames.TryParse(r.GetString(3), out var method);
        TransactionStatusNames.TryParse(r.GetString(8), out var status);
        FraudStatus? fraud = null;
        if (!r.IsDBNull(9)) FraudStatusNames.TryParse(r.GetString(9), out fraud);
        return new SimTransaction(r.GetString(0), r.GetString(1), r.GetString(2), method!.Value, r.StringOrNull(4), r.StringOrNull(5), r.StringOrNull(6),
            new Rupiah(r.GetInt64(7)), status!.Value, fraud, new Rupiah(r.GetInt64(10)), r.GetInt32(11), Sql.Time(r.GetInt64(12)), Sql.Time(r.GetInt64(13)),
            r.Int64OrNull(14) is { } s ? Sql.Time(s) : null);
    }

    private static RefundRecord ReadRefund(SqliteDataReader r)
    {
        TransactionStatusNames.TryParse(r.GetString(4), out var status);
        return new RefundRecord(r.GetString(0), r.GetString(1), new Rupiah(r.GetInt64(2)), new Rupiah(r.GetInt64(3)), status!.Value, r.StringOrNull(5), Sql.Time(r.GetInt64(6)));
    }
}
