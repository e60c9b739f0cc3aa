using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Storage.Orders;
using Npgsql;
using static Meterai.Storage.Postgres.PostgresOrderRows;

namespace Meterai.Storage.Postgres;

/// <summary>
/// Orders, the payment inbox, refunds and payment events on PostgreSQL. The writes that move money or quota
/// (<see cref="ApplyAsync"/>, <see cref="RetryCreditAsync"/>, <see cref="RefundAsync"/>) lock the order row first and
/// then run the ledger's own batch flow inside the same transaction (<see cref="PostgresLedgerStore.ApplyWithinAsync"/>),
/// so the lock order is always "order, then accounts ascending" and the ledger's rules are not written twice.
/// </summary>
internal sealed partial class PostgresOrderStore(NpgsqlDataSource dataSource, PostgresLedgerStore ledger, IClock clock) : IOrderStore
{
    private static readonly string OrderPlaceholders = string.Join(", ", Enumerable.Range(1, 36).Select(i => "$" + i));

    public Task<Result<Order>> CreateAsync(NewOrder order, CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync<Result<Order>>(async ct =>
        {
            var row = order.ToOrder() with { CreatedAt = TimeCodec.Truncate(order.CreatedAt) };
            row = row with { UpdatedAt = row.CreatedAt, ExpiresAt = TimeCodec.Truncate(row.ExpiresAt), NextCheckAt = TimeCodec.Truncate(row.NextCheckAt) };
            await using (var insert = dataSource.CreateCommand($"INSERT INTO orders ({OrderColumns.Order}) VALUES ({OrderPlaceholders}) ON CONFLICT DO NOTHING"))
            {
                foreach (var p in Insert(row)) insert.Parameters.Add(p);
                if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) return row;
            }

            // Not inserted: the buyer used this Idempotency-Key before (a random 128-bit id does not collide).
            var existing = order.IdempotencyKey is null ? null : await FindByIdempotencyKeyAsync(order.Buyer, order.IdempotencyKey, ct).ConfigureAwait(false);
            if (existing is null) throw new InvalidOperationException($"order {order.Id} was not inserted and no order holds its idempotency key");
            return order.SameRequestAs(existing)
                ? existing
                : new Error(OrderErrors.IdempotencyKeyReused, $"this Idempotency-Key was used for order {existing.Id} with another quantity, method or channel");
        }, cancellationToken);

    public Task<Order?> GetAsync(OrderId id, CancellationToken cancellationToken = default) =>
        OneAsync($"SELECT {OrderColumns.Order} FROM orders WHERE id = $1", [Text(id.Value)], cancellationToken);

    public Task<Order?> FindByIdempotencyKeyAsync(Buyer buyer, string idempotencyKey, CancellationToken cancellationToken = default) =>
        OneAsync($"SELECT {OrderColumns.Order} FROM orders WHERE buyer_kind = $1 AND buyer_id = $2 AND idempotency_key = $3",
            [Small((short)buyer.Kind), Id(buyer.Id), Text(idempotencyKey)], cancellationToken);

    public Task<IReadOnlyList<Order>> ListByBuyerAsync(Buyer buyer, int offset, int limit, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {OrderColumns.Order} FROM orders WHERE buyer_kind = $1 AND buyer_id = $2 ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT $4",
            [Small((short)buyer.Kind), Id(buyer.Id), Int(offset), Int(limit)], Order, cancellationToken);

    public Task<IReadOnlyList<Order>> ListByStateAsync(OrderState? state, int offset, int limit, CancellationToken cancellationToken = default) =>
        state is { } s
            ? ListAsync($"SELECT {OrderColumns.Order} FROM orders WHERE state = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3",
                [Small((short)s), Int(offset), Int(limit)], Order, cancellationToken)
            : ListAsync($"SELECT {OrderColumns.Order} FROM orders ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT $2",
                [Int(offset), Int(limit)], Order, cancellationToken);

    public async Task<IReadOnlyDictionary<OrderState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        var counts = OrderStateNames.All.ToDictionary(s => s, _ => 0L);
        await using var cmd = dataSource.CreateCommand("SELECT state, count(*) FROM orders GROUP BY state");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) counts[(OrderState)r.GetInt16(0)] = r.GetInt64(1);
        return counts;
    }

    public Task<IReadOnlyList<InboxEntry>> InboxAsync(OrderId id, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {OrderColumns.Inbox} FROM payment_inbox WHERE order_id = $1 ORDER BY received_at, status", [Text(id.Value)], Inbox, cancellationToken);

    private async Task<Order?> OneAsync(string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var list = await ListAsync(sql, parameters, Order, ct).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, NpgsqlParameter[] parameters, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(p);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await PostgresRows.ReadAllAsync(r, map, ct).ConfigureAwait(false);
    }

    private async Task<int> ExecuteAsync(string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(p);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private DateTimeOffset Now => TimeCodec.Truncate(clock.UtcNow);
}
