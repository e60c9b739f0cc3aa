using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Storage.Orders;
using Microsoft.Data.Sqlite;
using static Meterai.Storage.Sqlite.SqliteOrderRows;

namespace Meterai.Storage.Sqlite;

/// <summary>
/// Orders, the payment inbox, refunds and payment events on SQLite. Every write runs through the file's single writer
/// (<see cref="SqliteConnections.WriteAsync{T}"/>, BEGIN IMMEDIATE), the same one the ledger's batches use, so the
/// transactions that credit or reverse quota hold the ledger's batch (<see cref="SqliteLedgerStore.ApplyWithinAsync"/>)
/// and the order rows under one write lock: nothing can change between deciding and writing.
/// </summary>
internal sealed partial class SqliteOrderStore(SqliteConnections db, SqliteLedgerStore ledger, IClock clock) : IOrderStore
{
    private static readonly string OrderPlaceholders = string.Join(", ", Enumerable.Range(1, 36).Select(i => "$p" + i));

    public Task<Result<Order>> CreateAsync(NewOrder order, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<Order>>(async (conn, tx) =>
        {
            var row = order.ToOrder() with { CreatedAt = TimeCodec.Truncate(order.CreatedAt) };
            row = row with { UpdatedAt = row.CreatedAt, ExpiresAt = TimeCodec.Truncate(row.ExpiresAt), NextCheckAt = TimeCodec.Truncate(row.NextCheckAt) };
            if (order.IdempotencyKey is not null)
            {
                var existing = await OneAsync(conn, tx, $"SELECT {OrderColumns.Order} FROM orders WHERE buyer_kind = $p1 AND buyer_id = $p2 AND idempotency_key = $p3",
                    [(short)order.Buyer.Kind, Value(order.Buyer.Id), order.IdempotencyKey], cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return order.SameRequestAs(existing)
                        ? existing
                        : new Error(OrderErrors.IdempotencyKeyReused, $"this Idempotency-Key was used for order {existing.Id} with another quantity, method or channel");
                }
            }

            await using var insert = Command(conn, tx, $"INSERT INTO orders ({OrderColumns.Order}) VALUES ({OrderPlaceholders})", Insert(row));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return row;
        }, cancellationToken);

    public Task<Order?> GetAsync(OrderId id, CancellationToken cancellationToken = default) =>
        ReadOneAsync($"SELECT {OrderColumns.Order} FROM orders WHERE id = $p1", [id.Value], cancellationToken);

    public Task<Order?> FindByIdempotencyKeyAsync(Buyer buyer, string idempotencyKey, CancellationToken cancellationToken = default) =>
        ReadOneAsync($"SELECT {OrderColumns.Order} FROM orders WHERE buyer_kind = $p1 AND buyer_id = $p2 AND idempotency_key = $p3",
            [(short)buyer.Kind, Value(buyer.Id), idempotencyKey], cancellationToken);

    public Task<IReadOnlyList<Order>> ListByBuyerAsync(Buyer buyer, int offset, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {OrderColumns.Order} FROM orders WHERE buyer_kind = $p1 AND buyer_id = $p2 ORDER BY created_at DESC, id DESC LIMIT $p4 OFFSET $p3",
            [(short)buyer.Kind, Value(buyer.Id), offset, limit], Order, cancellationToken);

    public Task<IReadOnlyList<Order>> ListByStateAsync(OrderState? state, int offset, int limit, CancellationToken cancellationToken = default) =>
        state is { } s
            ? ReadAsync($"SELECT {OrderColumns.Order} FROM orders WHERE state = $p1 ORDER BY created_at DESC, id DESC LIMIT $p3 OFFSET $p2",
                [(short)s, offset, limit], Order, cancellationToken)
            : ReadAsync($"SELECT {OrderColumns.Order} FROM orders ORDER BY created_at DESC, id DESC LIMIT $p2 OFFSET $p1", [offset, limit], Order, cancellationToken);

    public async Task<IReadOnlyDictionary<OrderState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        var counts = OrderStateNames.All.ToDictionary(s => s, _ => 0L);
        foreach (var (state, count) in await ReadAsync("SELECT state, count(*) FROM orders GROUP BY state", [], r => ((OrderState)r.GetInt16(0), r.GetInt64(1)),
                     cancellationToken).ConfigureAwait(false))
        {
            counts[state] = count;
        }

        return counts;
    }

    public Task<IReadOnlyList<InboxEntry>> InboxAsync(OrderId id, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {OrderColumns.Inbox} FROM payment_inbox WHERE order_id = $p1 ORDER BY received_at, status", [id.Value], Inbox, cancellationToken);

    private async Task<Order?> ReadOneAsync(string sql, object[] values, CancellationToken ct) =>
        (await ReadAsync(sql, values, Order, ct).ConfigureAwait(false)).FirstOrDefault();

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, object[] values, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct).ConfigureAwait(false);
        return await ListAsync(conn, null, sql, values, map, ct).ConfigureAwait(false);
    }

    private static async Task<List<T>> ListAsync<T>(SqliteConnection conn, SqliteTransaction? tx, string sql, object[] values, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, sql, values);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        return list;
    }

    private static async Task<Order?> OneAsync(SqliteConnection conn, SqliteTransaction tx, string sql, object[] values, CancellationToken ct) =>
        (await ListAsync(conn, tx, sql, values, Order, ct).ConfigureAwait(false)).FirstOrDefault();

    private static async Task<int> ExecuteAsync(SqliteConnection conn, SqliteTransaction tx, (string Sql, object[] Values) statement, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, statement.Sql, statement.Values);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private Task<int> WriteAsync(string sql, object[] values, CancellationToken ct) =>
        db.WriteAsync((conn, tx) => ExecuteAsync(conn, tx, (sql, values), ct), ct);

    private DateTimeOffset Now => TimeCodec.Truncate(clock.UtcNow);
}
