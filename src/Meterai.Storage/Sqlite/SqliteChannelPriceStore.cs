using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using static Meterai.Storage.Sqlite.SqliteOrderRows;

namespace Meterai.Storage.Sqlite;

/// <summary>The operator's per-channel service fees on SQLite.</summary>
internal sealed class SqliteChannelPriceStore(SqliteConnections db, IClock clock) : IChannelPriceStore
{
    public async Task<Rupiah?> ServiceFeeAsync(UInt128 channelId, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT service_fee FROM channel_prices WHERE channel_id = $p1", [Value(channelId)]);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long fee ? new Rupiah(fee) : null;
    }

    public Task SetServiceFeeAsync(UInt128 channelId, Rupiah serviceFee, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(conn, tx, """
                INSERT INTO channel_prices (channel_id, service_fee, updated_at) VALUES ($p1, $p2, $p3)
                ON CONFLICT (channel_id) DO UPDATE SET service_fee = excluded.service_fee, updated_at = excluded.updated_at
                """, [Value(channelId), serviceFee.Value, Value(TimeCodec.Truncate(clock.UtcNow))]);
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
