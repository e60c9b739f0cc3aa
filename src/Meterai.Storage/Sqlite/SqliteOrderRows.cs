using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>Row mapping and parameters of the order tables on SQLite.</summary>
internal static class SqliteOrderRows
{
    public static Order Order(SqliteDataReader r)
    {
        OrderId.TryParse(r.GetString(0), out var id);
        var transactionId = Text(r, 27);
        return new Order(
            id ?? throw new InvalidOperationException($"order id {r.GetString(0)} in the database is not an order id"),
            new Buyer((BuyerKind)r.GetInt16(1), IdCodec.FromBytes((byte[])r[2])),
            r.IsDBNull(3) ? null : IdCodec.FromBytes((byte[])r[3]),
            r.GetInt32(4),
            new UnitPrice(new Rupiah(r.GetInt64(5)), new Rupiah(r.GetInt64(6))),
            new Rupiah(r.GetInt64(7)),
            (PaymentMethod)r.GetInt16(8),
            Text(r, 9),
            (OrderState)r.GetInt16(10),
            r.IsDBNull(11) ? null : (TransactionStatus)r.GetInt16(11),
            Text(r, 12),
            IdCodec.FromBytes((byte[])r[13]),
            IdCodec.FromBytes((byte[])r[14]),
            IdCodec.FromBytes((byte[])r[15]),
            Time(r, 16)!.Value,
            Time(r, 17)!.Value,
            Time(r, 18)!.Value,
            Time(r, 19),
            Time(r, 20),
            Time(r, 21),
            Time(r, 22),
            Time(r, 23),
            r.GetInt32(24),
            r.GetInt64(25) != 0,
            Text(r, 26),
            transactionId is null
                ? null
                : new OrderCharge(transactionId, Text(r, 28), Text(r, 29), Text(r, 30), Text(r, 31) is { } u ? new Uri(u) : null, Time(r, 32)!.Value),
            Time(r, 33)!.Value,
            r.GetInt32(34),
            Time(r, 35));
    }

    public static OrderRefund Refund(SqliteDataReader r)
    {
        OrderId.TryParse(r.GetString(1), out var orderId);
        return new OrderRefund(r.GetString(0), orderId!.Value, r.GetInt32(2), new Rupiah(r.GetInt64(3)), (RefundState)r.GetInt16(4),
            IdCodec.FromBytes((byte[])r[5]), Text(r, 6), Text(r, 7), Time(r, 8)!.Value, Time(r, 9), Text(r, 10), r.GetInt32(11), Time(r, 12)!.Value);
    }

    public static InboxEntry Inbox(SqliteDataReader r)
    {
        OrderId.TryParse(r.GetString(1), out var orderId);
        return new InboxEntry(r.GetString(0), orderId!.Value, (TransactionStatus)r.GetInt16(2), (ReportSource)r.GetInt16(3), (ReportVerdict)r.GetInt16(4),
            Text(r, 5), Text(r, 6), Time(r, 7)!.Value, Text(r, 8), r.GetInt16(9) == 1);
    }

    public static StoredPaymentEvent Event(SqliteDataReader r) =>
        new(r.GetInt64(0), new PaymentEvent(Time(r, 1)!.Value, r.GetString(2), r.GetString(3), r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8)));

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : TimeCodec.FromMicros(r.GetInt64(i));

    // ---- parameters: values for SqliteParameter, in the order of the statement's $p1, $p2, … ----

    public static object Value(string? s) => (object?)s ?? DBNull.Value;

    public static object Value(DateTimeOffset? t) => t is { } v ? TimeCodec.ToMicros(v) : DBNull.Value;

    public static object Value(UInt128? id) => id is { } v ? IdCodec.ToBytes(v) : DBNull.Value;

    public static object[] Insert(Order o) =>
    [
        o.Id.Value, (short)o.Buyer.Kind, Value(o.Buyer.Id), Value(o.ChannelId), o.Quantity, o.Price.FaceValue.Value, o.Price.ServiceFee.Value, o.Total.Value,
        (short)o.Method, Value(o.Bank), (short)o.State, o.ProviderStatus is { } s ? (short)s : DBNull.Value, Value(o.IdempotencyKey),
        Value(o.StockAccountId), Value(o.QuotaAccountId), Value(o.CreditTransferId), Value(o.CreatedAt), Value(o.ExpiresAt), Value(o.UpdatedAt),
        Value(o.PaidAt), Value(o.SettledAt), Value(o.FulfilledAt), Value(o.ExpiredAt), Value(o.RefundedAt), o.RefundedQuantity, o.LatePayment ? 1 : 0,
        Value(o.CreditError), Value(o.Charge?.TransactionId), Value(o.Charge?.QrString), Value(o.Charge?.VaNumber), Value(o.Charge?.Bank),
        Value(o.Charge?.PayUrl?.ToString()), Value(o.Charge?.ExpiresAt), Value(o.NextCheckAt), o.Checks, Value(o.RecheckAt),
    ];

    /// <summary>An order's mutable columns: $p1 is the id, $p2.. the values in <see cref="Orders.OrderColumns.MutableAssignments"/> order.</summary>
    public static (string Sql, object[] Values) Update(Order o) =>
    (
        "UPDATE orders SET " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Orders.OrderColumns.MutableAssignments,
            Enumerable.Range(2, 17).Select(i => (object)("$p" + i)).ToArray()) + " WHERE id = $p1",
        [
            o.Id.Value, (short)o.State, o.ProviderStatus is { } s ? (short)s : DBNull.Value, Value(o.UpdatedAt), Value(o.PaidAt), Value(o.SettledAt),
            Value(o.FulfilledAt), Value(o.ExpiredAt), Value(o.RefundedAt), o.RefundedQuantity, o.LatePayment ? 1 : 0, Value(o.CreditError),
            Value(o.Charge?.TransactionId), Value(o.Charge?.QrString), Value(o.Charge?.VaNumber), Value(o.Charge?.Bank), Value(o.Charge?.PayUrl?.ToString()),
            Value(o.Charge?.ExpiresAt),
        ]);

    /// <summary>The inbox write <see cref="OrderRules.InboxWriteFor"/> chose (only the provider's confirmed word is written); null for none.</summary>
    public static (string Sql, object[] Values)? WriteInbox(InboxWrite write, ProviderReport report, ReportVerdict verdict, DateTimeOffset now) => write switch
    {
        InboxWrite.Insert =>
        (
            $"INSERT INTO payment_inbox ({Orders.OrderColumns.Inbox}, paid) VALUES ($p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, 1, $p10)",
            [
                report.Provider, report.OrderId.Value, (short)report.Status, (short)report.Source, (short)verdict, Value(report.TransactionId),
                Value(report.NotificationId), Value(now), Value(report.Note), report.WasPaid ? 1 : 0,
            ]),
        InboxWrite.Confirm =>
        (
            "UPDATE payment_inbox SET confirmed = 1 WHERE provider = $p1 AND order_id = $p2 AND status = $p3 AND confirmed = 0",
            [report.Provider, report.OrderId.Value, (short)report.Status]),
        _ => null,
    };

    /// <summary>The order's inbox rows of one provider, as <see cref="OrderStatements"/> reads them.</summary>
    public const string StatementsSql = "SELECT status, paid, confirmed FROM payment_inbox WHERE provider = $p1 AND order_id = $p2";

    public static RecordedStatus Statement(SqliteDataReader r) => new((TransactionStatus)r.GetInt16(0), r.GetInt16(1) == 1, r.GetInt16(2) == 1);

    public static (string Sql, object[] Values) InsertRefund(OrderRefund r) =>
    (
        $"INSERT INTO order_refunds ({Orders.OrderColumns.Refund}) VALUES ($p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13)",
        [
            r.Id, r.OrderId.Value, r.Quantity, r.Amount.Value, (short)r.State, Value(r.TransferId), Value(r.Reason), Value(r.RequestedBy),
            Value(r.CreatedAt), Value(r.CompletedAt), Value(r.Error), r.Attempts, Value(r.NextAttemptAt),
        ]);

    /// <summary>A command with $p1.. bound to <paramref name="values"/>.</summary>
    public static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql, object[] values)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("$p" + (i + 1), values[i]);
        return cmd;
    }
}
