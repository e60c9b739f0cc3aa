using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>Row mapping and parameters of the order tables on PostgreSQL.</summary>
internal static class PostgresOrderRows
{
    public static Order Order(NpgsqlDataReader r)
    {
        OrderId.TryParse(r.GetString(0), out var id);
        var transactionId = Text(r, 27);
        return new Order(
            id ?? throw new InvalidOperationException($"order id {r.GetString(0)} in the database is not an order id"),
            new Buyer((BuyerKind)r.GetInt16(1), IdCodec.FromGuid(r.GetGuid(2))),
            r.IsDBNull(3) ? null : IdCodec.FromGuid(r.GetGuid(3)),
            r.GetInt32(4),
            new UnitPrice(new Rupiah(r.GetInt64(5)), new Rupiah(r.GetInt64(6))),
            new Rupiah(r.GetInt64(7)),
            (PaymentMethod)r.GetInt16(8),
            Text(r, 9),
            (OrderState)r.GetInt16(10),
            r.IsDBNull(11) ? null : (TransactionStatus)r.GetInt16(11),
            Text(r, 12),
            IdCodec.FromGuid(r.GetGuid(13)),
            IdCodec.FromGuid(r.GetGuid(14)),
            IdCodec.FromGuid(r.GetGuid(15)),
            Time(r, 16)!.Value,
            Time(r, 17)!.Value,
            Time(r, 18)!.Value,
            Time(r, 19),
            Time(r, 20),
            Time(r, 21),
            Time(r, 22),
            Time(r, 23),
            r.GetInt32(24),
            r.GetBoolean(25),
            Text(r, 26),
            transactionId is null
                ? null
                : new OrderCharge(transactionId, Text(r, 28), Text(r, 29), Text(r, 30), Text(r, 31) is { } u ? new Uri(u) : null, Time(r, 32)!.Value),
            Time(r, 33)!.Value,
            r.GetInt32(34),
            Time(r, 35));
    }

    public static OrderRefund Refund(NpgsqlDataReader r)
    {
        OrderId.TryParse(r.GetString(1), out var orderId);
        return new OrderRefund(r.GetString(0), orderId!.Value, r.GetInt32(2), new Rupiah(r.GetInt64(3)), (RefundState)r.GetInt16(4),
            IdCodec.FromGuid(r.GetGuid(5)), Text(r, 6), Text(r, 7), Time(r, 8)!.Value, Time(r, 9), Text(r, 10), r.GetInt32(11), Time(r, 12)!.Value);
    }

    public static InboxEntry Inbox(NpgsqlDataReader r)
    {
        OrderId.TryParse(r.GetString(1), out var orderId);
        return new InboxEntry(r.GetString(0), orderId!.Value, (TransactionStatus)r.GetInt16(2), (ReportSource)r.GetInt16(3), (ReportVerdict)r.GetInt16(4),
            Text(r, 5), Text(r, 6), Time(r, 7)!.Value, Text(r, 8), r.GetInt16(9) == 1);
    }

    public static StoredPaymentEvent Event(NpgsqlDataReader r) =>
        new(r.GetInt64(0), new PaymentEvent(Time(r, 1)!.Value, r.GetString(2), r.GetString(3), r.GetString(4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8)));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    // ---- parameters ----

    public static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } t ? TimeCodec.Truncate(t).UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter Id(UInt128? value) => new() { Value = value is { } v ? IdCodec.ToGuid(v) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    public static NpgsqlParameter Small(short? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint };

    public static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };

    public static NpgsqlParameter Long(long value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    public static NpgsqlParameter Bool(bool value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Boolean };

    /// <summary>Parameters $1.. of an order's insert, in <see cref="Orders.OrderColumns.Order"/> order.</summary>
    public static IEnumerable<NpgsqlParameter> Insert(Order o) =>
    [
        Text(o.Id.Value), Small((short)o.Buyer.Kind), Id(o.Buyer.Id), Id(o.ChannelId), Int(o.Quantity), Long(o.Price.FaceValue.Value),
        Long(o.Price.ServiceFee.Value), Long(o.Total.Value), Small((short)o.Method), Text(o.Bank), Small((short)o.State),
        Small(o.ProviderStatus is { } s ? (short)s : null), Text(o.IdempotencyKey), Id(o.StockAccountId), Id(o.QuotaAccountId),
        Id(o.CreditTransferId), Time(o.CreatedAt), Time(o.ExpiresAt), Time(o.UpdatedAt), Time(o.PaidAt), Time(o.SettledAt), Time(o.FulfilledAt),
        Time(o.ExpiredAt), Time(o.RefundedAt), Int(o.RefundedQuantity), Bool(o.LatePayment), Text(o.CreditError), Text(o.Charge?.TransactionId),
        Text(o.Charge?.QrString), Text(o.Charge?.VaNumber), Text(o.Charge?.Bank), Text(o.Charge?.PayUrl?.ToString()), Time(o.Charge?.ExpiresAt),
        Time(o.NextCheckAt), Int(o.Checks), Time(o.RecheckAt),
    ];

    /// <summary>The UPDATE that writes an order's mutable columns (and nothing else).</summary>
    public static NpgsqlBatchCommand Update(Order o)
    {
        var sql = "UPDATE orders SET "
                  + string.Format(System.Globalization.CultureInfo.InvariantCulture, Orders.OrderColumns.MutableAssignments,
                      Enumerable.Range(2, 17).Select(i => (object)("$" + i)).ToArray())
                  + " WHERE id = $1";
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var p in (NpgsqlParameter[])
                 [
                     Text(o.Id.Value), Small((short)o.State), Small(o.ProviderStatus is { } s ? (short)s : null), Time(o.UpdatedAt), Time(o.PaidAt),
                     Time(o.SettledAt), Time(o.FulfilledAt), Time(o.ExpiredAt), Time(o.RefundedAt), Int(o.RefundedQuantity), Bool(o.LatePayment),
                     Text(o.CreditError), Text(o.Charge?.TransactionId), Text(o.Charge?.QrString), Text(o.Charge?.VaNumber), Text(o.Charge?.Bank),
                     Text(o.Charge?.PayUrl?.ToString()), Time(o.Charge?.ExpiresAt),
                 ])
        {
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    /// <summary>The inbox write <see cref="OrderRules.InboxWriteFor"/> chose (only the provider's confirmed word is written); null for none.</summary>
    public static NpgsqlBatchCommand? WriteInbox(InboxWrite write, ProviderReport report, ReportVerdict verdict, DateTimeOffset now)
    {
        NpgsqlBatchCommand cmd;
        NpgsqlParameter[] values;
        switch (write)
        {
            case InboxWrite.Insert:
                cmd = new NpgsqlBatchCommand($"INSERT INTO payment_inbox ({Orders.OrderColumns.Inbox}, paid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)");
                values =
                [
                    Text(report.Provider), Text(report.OrderId.Value), Small((short)report.Status), Small((short)report.Source), Small((short)verdict),
                    Text(report.TransactionId), Text(report.NotificationId), Time(now), Text(report.Note), Small(report.WasPaid ? (short)1 : (short)0),
                ];
                break;
            case InboxWrite.Confirm:
                cmd = new NpgsqlBatchCommand("UPDATE payment_inbox SET confirmed = 1 WHERE provider = $1 AND order_id = $2 AND status = $3 AND confirmed = 0");
                values = [Text(report.Provider), Text(report.OrderId.Value), Small((short)report.Status)];
                break;
            default:
                return null;
        }

        foreach (var p in values) cmd.Parameters.Add(p);
        return cmd;
    }

    /// <summary>The order's inbox rows of one provider, as <see cref="OrderStatements"/> reads them.</summary>
    public const string StatementsSql = "SELECT status, paid, confirmed FROM payment_inbox WHERE provider = $1 AND order_id = $2";

    public static RecordedStatus Statement(NpgsqlDataReader r) => new((TransactionStatus)r.GetInt16(0), r.GetInt16(1) == 1, r.GetInt16(2) == 1);
}
