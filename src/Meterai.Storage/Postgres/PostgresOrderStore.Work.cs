using System.Data;
using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Storage.Ledger;
using Meterai.Storage.Orders;
using Npgsql;
using static Meterai.Storage.Postgres.PostgresOrderRows;

namespace Meterai.Storage.Postgres;

/// <summary>What the workers claim and record, events, leases, the operator's figures and the audit.</summary>
internal sealed partial class PostgresOrderStore
{
    public Task<IReadOnlyList<Order>> ClaimDueAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        // SKIP LOCKED: orders another node claimed, or that a notification is crediting right now, are left alone, and the
        // claim never waits, so it cannot join a lock cycle. The lease (next_check_at pushed ahead) keeps them claimed
        // after this statement commits, until this node reschedules them or dies and the lease runs out.
        // Two kinds of due (each with its own partial index): open orders by next_check_at, rechecks of any order by recheck_at.
        ListAsync($"""
            UPDATE orders o SET next_check_at = CASE WHEN o.state IN (1, 2, 3) THEN $2 ELSE o.next_check_at END,
                                recheck_at = CASE WHEN o.recheck_at IS NULL THEN NULL ELSE $2 END,
                                checks = o.checks + 1
            FROM (SELECT id FROM orders
                  WHERE (state IN (1, 2, 3) AND next_check_at <= $1) OR recheck_at <= $1
                  ORDER BY LEAST(CASE WHEN state IN (1, 2, 3) THEN next_check_at END, recheck_at) LIMIT $3 FOR UPDATE SKIP LOCKED) d
            WHERE o.id = d.id
            RETURNING {OrderColumns.OrderAs("o")}
            """, [Time(now), Time(now + lease), Int(limit)], Order, cancellationToken);

    public Task RescheduleAsync(OrderId id, DateTimeOffset nextCheckAt, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE orders SET next_check_at = $2 WHERE id = $1 AND state IN (1, 2, 3)", [Text(id.Value), Time(nextCheckAt)], cancellationToken);

    public Task DeferToReconciliationAsync(OrderId id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE orders SET recheck_at = $2 WHERE id = $1 AND (recheck_at IS NULL OR recheck_at > $2)", [Text(id.Value), Time(at)], cancellationToken);

    public Task EndRecheckAsync(OrderId id, DateTimeOffset claimed, DateTimeOffset? next, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE orders SET recheck_at = $3 WHERE id = $1 AND recheck_at = $2", [Text(id.Value), Time(claimed), Time(next)], cancellationToken);

    public Task<IReadOnlyList<OrderRefund>> ClaimDueRefundsAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        ListAsync($"""
            UPDATE order_refunds r SET next_attempt_at = $2
            FROM (SELECT id FROM order_refunds WHERE state = 1 AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) d
            WHERE r.id = d.id
            RETURNING {OrderColumns.RefundAs("r")}
            """, [Time(now), Time(now + lease), Int(limit)], Refund, cancellationToken);

    public async Task<OrderRefund> CompleteRefundAsync(string refundId, RefundReceipt receipt, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("UPDATE order_refunds SET state = 2, completed_at = $2, error = NULL WHERE id = $1 AND state = 1",
            [Text(refundId), Time(receipt.RefundedAt)], cancellationToken).ConfigureAwait(false);
        return await GetRefundAsync(refundId, cancellationToken).ConfigureAwait(false) ?? throw MissingRefund(refundId);
    }

    public async Task<OrderRefund> FailRefundAsync(string refundId, Error error, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("UPDATE order_refunds SET state = 3, error = $2, attempts = attempts + 1 WHERE id = $1 AND state = 1",
            [Text(refundId), Text(error.ToString())], cancellationToken).ConfigureAwait(false);
        return await GetRefundAsync(refundId, cancellationToken).ConfigureAwait(false) ?? throw MissingRefund(refundId);
    }

    public Task RescheduleRefundAsync(string refundId, DateTimeOffset nextAttemptAt, string? error, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE order_refunds SET next_attempt_at = $2, error = $3, attempts = attempts + 1 WHERE id = $1 AND state = 1",
            [Text(refundId), Time(nextAttemptAt), Text(error)], cancellationToken);

    public async Task<OrderRefund?> GetRefundAsync(string refundId, CancellationToken cancellationToken = default) =>
        (await ListAsync($"SELECT {OrderColumns.Refund} FROM order_refunds WHERE id = $1", [Text(refundId)], Refund, cancellationToken).ConfigureAwait(false))
        .FirstOrDefault();

    public Task<IReadOnlyList<OrderRefund>> RefundsAsync(OrderId id, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {OrderColumns.Refund} FROM order_refunds WHERE order_id = $1 ORDER BY created_at, id", [Text(id.Value)], Refund, cancellationToken);

    public Task RecordEventAsync(PaymentEvent e, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            INSERT INTO payment_events (at, source, code, message, order_id, status, notification_id, dedupe_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING
            """, [Time(e.At), Text(e.Source), Text(e.Code), Text(e.Message), Text(e.OrderId), Text(e.Status), Text(e.NotificationId), Text(e.DedupeKey)],
            cancellationToken);

    public Task<IReadOnlyList<StoredPaymentEvent>> EventsAsync(string? orderId, int limit, CancellationToken cancellationToken = default) =>
        orderId is null
            ? ListAsync($"SELECT {OrderColumns.Event} FROM payment_events ORDER BY id DESC LIMIT $1", [Int(limit)], Event, cancellationToken)
            : ListAsync($"SELECT {OrderColumns.Event} FROM payment_events WHERE order_id = $1 ORDER BY id DESC LIMIT $2", [Text(orderId), Int(limit)], Event,
                cancellationToken);

    public Task<IReadOnlyList<Order>> SettledBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {OrderColumns.Order} FROM orders WHERE settled_at >= $1 AND settled_at < $2 ORDER BY settled_at", [Time(from), Time(to)], Order,
            cancellationToken);

    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        // One statement: either the row is new, or its lease ran out and this node takes it; a live lease is left alone.
        var taken = await ListAsync("""
            INSERT INTO payment_leases (name, holder, until) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE payment_leases.until <= $4
            RETURNING name
            """, [Text(name), Text(holder), Time(now + duration), Time(now)], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        return taken.Count == 1;
    }

    public Task CompleteLeaseAsync(string name, string holder, DateTimeOffset completedAt, DateTimeOffset holdUntil, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE payment_leases SET until = $3, last_completed_at = $4 WHERE name = $1 AND holder = $2",
            [Text(name), Text(holder), Time(holdUntil), Time(completedAt)], cancellationToken);

    public async Task<PaymentHealth> HealthAsync(DateTimeOffset now, DateTimeOffset overdueBefore, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for every figure.
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var paidNotCredited = (await PostgresQueries.RowAsync(conn, tx, OrderAuditQueries.PaidNotCreditedSql, cancellationToken).ConfigureAwait(false))[0];

        var byState = OrderStateNames.All.ToDictionary(s => s, _ => 0L);
        await using (var cmd = new NpgsqlCommand("SELECT state, count(*) FROM orders GROUP BY state", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) byState[(OrderState)r.GetInt16(0)] = r.GetInt64(1);
        }

        long overdue, outstanding, failed;
        await using (var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM orders WHERE state IN (1, 2) AND expires_at < $1),
                   (SELECT count(*) FROM order_refunds WHERE state = 1),
                   (SELECT count(*) FROM order_refunds WHERE state = 3)
            """, conn, tx))
        {
            cmd.Parameters.Add(Time(overdueBefore));
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            (overdue, outstanding, failed) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }

        var events = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT code, count(*) FROM payment_events WHERE at >= $1 GROUP BY code ORDER BY code", conn, tx))
        {
            cmd.Parameters.Add(Time(now.AddDays(-1)));
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) events[r.GetString(0)] = r.GetInt64(1);
        }

        var leases = new List<LeaseInfo>();
        await using (var cmd = new NpgsqlCommand("SELECT name, holder, until, last_completed_at FROM payment_leases ORDER BY name", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leases.Add(new LeaseInfo(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2),
                    r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        return new PaymentHealth(paidNotCredited, byState, overdue, outstanding, failed, events.Values.Sum(), events, leases);
    }

    public Task<IReadOnlyList<Order>> ListForProviderCheckAsync(OrderId? after, int limit, bool includeFinal, CancellationToken cancellationToken = default) =>
        ListAsync(OrderAuditQueries.ProviderCheckPage(includeFinal, "$1", "$2"), [Text(after?.Value ?? ""), Int(limit)], Order, cancellationToken);

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(int listed, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await OrderAuditQueries.AuditAsync((sql, ct) => PostgresQueries.RowAsync(conn, tx, sql, ct),
            (sql, ct) => PostgresQueries.TextsAsync(conn, tx, sql, ct), listed, cancellationToken).ConfigureAwait(false);
    }

    private static InvalidOperationException MissingRefund(string id) => new($"refund {id} does not exist");
}
