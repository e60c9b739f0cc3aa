using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Storage.Orders;
using static Meterai.Storage.Sqlite.SqliteOrderRows;

namespace Meterai.Storage.Sqlite;

/// <summary>What the workers claim and record, events, leases, the operator's figures and the audit.</summary>
internal sealed partial class SqliteOrderStore
{
    // On SQLite the file's write lock is the claim: no other writer, in this process or another, runs meanwhile.
    public Task<IReadOnlyList<Order>> ClaimDueAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        // Two kinds of due (each with its own partial index), one claim: open orders by next_check_at, rechecks of any order by recheck_at.
        db.WriteAsync<IReadOnlyList<Order>>(async (conn, tx) => await ListAsync(conn, tx, $"""
            UPDATE orders SET next_check_at = CASE WHEN state IN (1, 2, 3) THEN $p2 ELSE next_check_at END,
                              recheck_at = CASE WHEN recheck_at IS NULL THEN NULL ELSE $p2 END,
                              checks = checks + 1
            WHERE id IN (SELECT id FROM (SELECT id, next_check_at AS due FROM orders WHERE state IN (1, 2, 3) AND next_check_at <= $p1
                                         UNION ALL
                                         SELECT id, recheck_at AS due FROM orders WHERE recheck_at <= $p1)
                         ORDER BY due LIMIT $p3)
            RETURNING {OrderColumns.Order}
            """, [Value(now), Value(now + lease), limit], Order, cancellationToken).ConfigureAwait(false), cancellationToken);

    public Task RescheduleAsync(OrderId id, DateTimeOffset nextCheckAt, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE orders SET next_check_at = $p2 WHERE id = $p1 AND state IN (1, 2, 3)", [id.Value, Value(nextCheckAt)], cancellationToken);

    public Task DeferToReconciliationAsync(OrderId id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE orders SET recheck_at = $p2 WHERE id = $p1 AND (recheck_at IS NULL OR recheck_at > $p2)", [id.Value, Value(at)], cancellationToken);

    public Task EndRecheckAsync(OrderId id, DateTimeOffset claimed, DateTimeOffset? next, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE orders SET recheck_at = $p3 WHERE id = $p1 AND recheck_at = $p2", [id.Value, Value(claimed), Value(next)], cancellationToken);

    public Task<IReadOnlyList<OrderRefund>> ClaimDueRefundsAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        db.WriteAsync<IReadOnlyList<OrderRefund>>(async (conn, tx) => await ListAsync(conn, tx, $"""
            UPDATE order_refunds SET next_attempt_at = $p2
            WHERE id IN (SELECT id FROM order_refunds WHERE state = 1 AND next_attempt_at <= $p1 ORDER BY next_attempt_at LIMIT $p3)
            RETURNING {OrderColumns.Refund}
            """, [Value(now), Value(now + lease), limit], Refund, cancellationToken).ConfigureAwait(false), cancellationToken);

    public async Task<OrderRefund> CompleteRefundAsync(string refundId, RefundReceipt receipt, CancellationToken cancellationToken = default)
    {
        await WriteAsync("UPDATE order_refunds SET state = 2, completed_at = $p2, error = NULL WHERE id = $p1 AND state = 1",
            [refundId, Value(TimeCodec.Truncate(receipt.RefundedAt))], cancellationToken).ConfigureAwait(false);
        return await GetRefundAsync(refundId, cancellationToken).ConfigureAwait(false) ?? throw MissingRefund(refundId);
    }

    public async Task<OrderRefund> FailRefundAsync(string refundId, Error error, CancellationToken cancellationToken = default)
    {
        await WriteAsync("UPDATE order_refunds SET state = 3, error = $p2, attempts = attempts + 1 WHERE id = $p1 AND state = 1",
            [refundId, error.ToString()], cancellationToken).ConfigureAwait(false);
        return await GetRefundAsync(refundId, cancellationToken).ConfigureAwait(false) ?? throw MissingRefund(refundId);
    }

    public Task RescheduleRefundAsync(string refundId, DateTimeOffset nextAttemptAt, string? error, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE order_refunds SET next_attempt_at = $p2, error = $p3, attempts = attempts + 1 WHERE id = $p1 AND state = 1",
            [refundId, Value(nextAttemptAt), Value(error)], cancellationToken);

    public async Task<OrderRefund?> GetRefundAsync(string refundId, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"SELECT {OrderColumns.Refund} FROM order_refunds WHERE id = $p1", [refundId], Refund, cancellationToken).ConfigureAwait(false))
        .FirstOrDefault();

    public Task<IReadOnlyList<OrderRefund>> RefundsAsync(OrderId id, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {OrderColumns.Refund} FROM order_refunds WHERE order_id = $p1 ORDER BY created_at, id", [id.Value], Refund, cancellationToken);

    public Task RecordEventAsync(PaymentEvent e, CancellationToken cancellationToken = default) =>
        WriteAsync("""
            INSERT INTO payment_events (at, source, code, message, order_id, status, notification_id, dedupe_key)
            VALUES ($p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8) ON CONFLICT (dedupe_key) DO NOTHING
            """, [Value(TimeCodec.Truncate(e.At)), e.Source, e.Code, e.Message, Value(e.OrderId), Value(e.Status), Value(e.NotificationId), Value(e.DedupeKey)],
            cancellationToken);

    public Task<IReadOnlyList<StoredPaymentEvent>> EventsAsync(string? orderId, int limit, CancellationToken cancellationToken = default) =>
        orderId is null
            ? ReadAsync($"SELECT {OrderColumns.Event} FROM payment_events ORDER BY id DESC LIMIT $p1", [limit], Event, cancellationToken)
            : ReadAsync($"SELECT {OrderColumns.Event} FROM payment_events WHERE order_id = $p1 ORDER BY id DESC LIMIT $p2", [orderId, limit], Event, cancellationToken);

    public Task<IReadOnlyList<Order>> SettledBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {OrderColumns.Order} FROM orders WHERE settled_at >= $p1 AND settled_at < $p2 ORDER BY settled_at", [Value(from), Value(to)], Order,
            cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) => (await ListAsync(conn, tx, """
            INSERT INTO payment_leases (name, holder, until) VALUES ($p1, $p2, $p3)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE payment_leases.until <= $p4
            RETURNING name
            """, [name, holder, Value(TimeCodec.Truncate(now + duration)), Value(TimeCodec.Truncate(now))], r => r.GetString(0), cancellationToken)
            .ConfigureAwait(false)).Count == 1, cancellationToken);

    public Task CompleteLeaseAsync(string name, string holder, DateTimeOffset completedAt, DateTimeOffset holdUntil, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE payment_leases SET until = $p3, last_completed_at = $p4 WHERE name = $p1 AND holder = $p2",
            [name, holder, Value(TimeCodec.Truncate(holdUntil)), Value(TimeCodec.Truncate(completedAt))], cancellationToken);

    public async Task<PaymentHealth> HealthAsync(DateTimeOffset now, DateTimeOffset overdueBefore, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: every figure from the same snapshot of the file.
        await using var tx = conn.BeginTransaction(deferred: true);
        var paidNotCredited = (await SqliteQueries.RowAsync(conn, tx, OrderAuditQueries.PaidNotCreditedSql, cancellationToken).ConfigureAwait(false))[0];
        var byState = OrderStateNames.All.ToDictionary(s => s, _ => 0L);
        foreach (var (state, count) in await ListAsync(conn, tx, "SELECT state, count(*) FROM orders GROUP BY state", [],
                     r => ((OrderState)r.GetInt16(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false))
        {
            byState[state] = count;
        }

        var figures = (await ListAsync(conn, tx, """
            SELECT (SELECT count(*) FROM orders WHERE state IN (1, 2) AND expires_at < $p1),
                   (SELECT count(*) FROM order_refunds WHERE state = 1),
                   (SELECT count(*) FROM order_refunds WHERE state = 3)
            """, [Value(overdueBefore)], r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false))[0];
        var events = (await ListAsync(conn, tx, "SELECT code, count(*) FROM payment_events WHERE at >= $p1 GROUP BY code ORDER BY code", [Value(now.AddDays(-1))],
            r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.Item1, e => e.Item2, StringComparer.Ordinal);
        var leases = await ListAsync(conn, tx, "SELECT name, holder, until, last_completed_at FROM payment_leases ORDER BY name", [],
            r => new LeaseInfo(r.GetString(0), r.GetString(1), TimeCodec.FromMicros(r.GetInt64(2)), r.IsDBNull(3) ? null : TimeCodec.FromMicros(r.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return new PaymentHealth(paidNotCredited, byState, figures.Item1, figures.Item2, figures.Item3, events.Values.Sum(), events, leases);
    }

    public Task<IReadOnlyList<Order>> ListForProviderCheckAsync(OrderId? after, int limit, bool includeFinal, CancellationToken cancellationToken = default) =>
        ReadAsync(OrderAuditQueries.ProviderCheckPage(includeFinal, "$p1", "$p2"), [after?.Value ?? "", limit], Order, cancellationToken);

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(int listed, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = conn.BeginTransaction(deferred: true);
        return await OrderAuditQueries.AuditAsync((sql, ct) => SqliteQueries.RowAsync(conn, tx, sql, ct),
            async (sql, ct) => await ListAsync(conn, tx, sql, [], r => r.GetString(0), ct).ConfigureAwait(false), listed, cancellationToken).ConfigureAwait(false);
    }

    private static InvalidOperationException MissingRefund(string id) => new($"refund {id} does not exist");
}
