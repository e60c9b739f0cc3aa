using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Notifications;
using Meterai.PaySim.Transactions;
using Microsoft.Data.Sqlite;

namespace Meterai.PaySim.Store;

/// <summary>One copy of a notification waiting in (or gone from) the outbox.</summary>
public sealed record OutboxEntry(
    long Id,
    string NotificationId,
    string OrderId,
    int EventSeq,
    int Copy,
    string MerchantId,
    string TransactionStatus,
    string Body,
    string State,
    DateTimeOffset DueAt,
    int Attempts,
    string? LastError,
    DateTimeOffset? DeliveredAt);

/// <summary>
/// The durable outbox of notifications. A notification is written in the same SQLite transaction as the status change
/// it reports, with its faults already decided, so a crash can neither lose it nor change its fate; it leaves the
/// queue only when the merchant answered 2xx (or the drop fault took it).
/// </summary>
internal sealed class OutboxStore(PaySimDatabase db, FaultState faults, OutboxSignal signal, PaySimOptions options)
{
    private const string Columns =
        "id, notification_id, order_id, event_seq, copy, merchant_id, transaction_status, body, state, due_at, attempts, last_error, delivered_at";

    /// <summary>Writes the next notification of a transaction (inside the caller's write transaction) and returns its fault decision.</summary>
    public FaultDecision Enqueue(SqliteConnection c, SqliteTransaction t, SimTransaction transaction, DateTimeOffset now)
    {
        var merchant = MerchantStore.Get(c, t, transaction.MerchantId) ?? throw new InvalidOperationException($"merchant {transaction.MerchantId} vanished");
        var eventSeq = transaction.Events + 1;
        c.Execute(t, "UPDATE transactions SET events = $e WHERE order_id = $o", ("$e", eventSeq), ("$o", transaction.OrderId));
        var settings = faults.Settings;
        var decision = FaultPlan.Decide(faults.Chance, settings, transaction.OrderId, eventSeq, transaction.Status.ToWire());
        var notificationId = faults.Chance.Id("notification", $"{transaction.OrderId}#{eventSeq}");
        var body = TransactionJson.NotificationBody(transaction, merchant.ServerKey, notificationId);

        string state;
        var due = now;
        long? holdUntil = null;
        if (decision.Dropped)
        {
            state = "dropped";
        }
        else if (decision.Reordered)
        {
            state = "held";
            holdUntil = Sql.Ms(now + settings.ReorderHoldMax);
        }
        else
        {
            state = "queued";
        }

        if (decision.Delayed) due = now + settings.DelayFor;
        for (var copy = 0; copy < decision.Copies; copy++)
        {
            c.Execute(t,
                """
                INSERT INTO notifications (notification_id, order_id, event_seq, copy, merchant_id, transaction_status, body, state, due_at, hold_until, created_at)
                VALUES ($nid, $o, $e, $copy, $m, $s, $body, $state, $due, $hold, $now)
                """,
                ("$nid", notificationId), ("$o", transaction.OrderId), ("$e", eventSeq), ("$copy", copy), ("$m", transaction.MerchantId),
                ("$s", decision.TransactionStatus), ("$body", body), ("$state", state),
                ("$due", Sql.Ms(due + copy * options.DuplicateSpacing)), ("$hold", holdUntil), ("$now", Sql.Ms(now)));
        }

        c.Execute(t,
            """
            INSERT INTO fault_decisions (order_id, event_seq, transaction_status, copies, reordered, delayed, dropped)
            VALUES ($o, $e, $s, $copies, $r, $d, $x)
            """,
            ("$o", decision.OrderId), ("$e", eventSeq), ("$s", decision.TransactionStatus), ("$copies", decision.Copies),
            ("$r", decision.Reordered ? 1 : 0), ("$d", decision.Delayed ? 1 : 0), ("$x", decision.Dropped ? 1 : 0));

        // A dropped notification is "sent" as far as ordering goes: whatever was held behind it may follow now.
        if (decision.Dropped) ReleaseHeldBefore(c, t, transaction.OrderId, eventSeq, now);
        return decision;
    }

    /// <summary>Queued copies whose time has come, with the URL to send them to (merchants without a URL wait).</summary>
    public List<(OutboxEntry Entry, string NotifyUrl)> Due(DateTimeOffset now, int limit)
    {
        using var c = db.Open();
        return c.Query(null,
            $"""
            SELECT n.{Columns.Replace(", ", ", n.")}, m.notify_url
            FROM notifications n JOIN merchants m ON m.merchant_id = n.merchant_id
            WHERE n.state = 'queued' AND n.due_at <= $now AND m.notify_url <> ''
            ORDER BY n.due_at, n.id LIMIT $limit
            """,
            r => (Read(r), r.GetString(13)), ("$now", Sql.Ms(now)), ("$limit", limit));
    }

    /// <summary>When the next sendable copy falls due, or null when none is queued (copies for a merchant without a URL wait for one).</summary>
    public DateTimeOffset? NextDue()
    {
        using var c = db.Open();
        return c.Scalar(null,
            """
            SELECT MIN(n.due_at) FROM notifications n JOIN merchants m ON m.merchant_id = n.merchant_id
            WHERE n.state = 'queued' AND m.notify_url <> ''
            """) is long ms ? Sql.Time(ms) : null;
    }

    public Task MarkDeliveredAsync(OutboxEntry entry, DateTimeOffset now) =>
        db.WriteAsync((c, t) =>
        {
            var changed = c.Execute(t,
                "UPDATE notifications SET state = 'delivered', attempts = attempts + 1, delivered_at = $now, last_error = NULL WHERE id = $id AND state = 'queued'",
                ("$id", entry.Id), ("$now", Sql.Ms(now)));
            if (changed > 0) ReleaseHeldBefore(c, t, entry.OrderId, entry.EventSeq, now);
            return changed;
        });

    public Task MarkFailedAsync(OutboxEntry entry, DateTimeOffset nextDue, string error) =>
        db.WriteAsync((c, t) => c.Execute(t,
            "UPDATE notifications SET attempts = attempts + 1, due_at = $due, last_error = $err WHERE id = $id AND state = 'queued'",
            ("$id", entry.Id), ("$due", Sql.Ms(nextDue)), ("$err", error.Length > 500 ? error[..500] : error)));

    /// <summary>Held notifications whose longest hold is over go out even though no later one came.</summary>
    public Task<int> ReleaseExpiredHoldsAsync(DateTimeOffset now) =>
        db.WriteAsync((c, t) => c.Execute(t,
            "UPDATE notifications SET state = 'queued', due_at = MAX(due_at, $now) WHERE state = 'held' AND hold_until <= $now",
            ("$now", Sql.Ms(now))));

    public List<OutboxEntry> List(string? orderId)
    {
        using var c = db.Open();
        return orderId is null
            ? c.Query(null, $"SELECT {Columns} FROM notifications ORDER BY id", Read)
            : c.Query(null, $"SELECT {Columns} FROM notifications WHERE order_id = $o ORDER BY id", Read, ("$o", orderId));
    }

    public List<FaultDecision> Decisions()
    {
        using var c = db.Open();
        return c.Query(null,
            "SELECT order_id, event_seq, transaction_status, copies, reordered, delayed, dropped FROM fault_decisions ORDER BY order_id, event_seq",
            r => new FaultDecision(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4) != 0, r.GetInt64(5) != 0, r.GetInt64(6) != 0));
    }

    public void Wake() => signal.Wake();

    private static void ReleaseHeldBefore(SqliteConnection c, SqliteTransaction t, string orderId, int eventSeq, DateTimeOffset now) =>
        c.Execute(t,
            "UPDATE notifications SET state = 'queued', due_at = MAX(due_at, $now) WHERE order_id = $o AND state = 'held' AND event_seq < $e",
            ("$o", orderId), ("$e", eventSeq), ("$now", Sql.Ms(now)));

    private static OutboxEntry Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetString(5), r.GetString(6), r.GetString(7),
        r.GetString(8), Sql.Time(r.GetInt64(9)), r.GetInt32(10), r.StringOrNull(11), r.Int64OrNull(12) is { } d ? Sql.Time(d) : null);
}
