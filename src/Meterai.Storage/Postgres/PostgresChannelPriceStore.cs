using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Npgsql;
using static Meterai.Storage.Postgres.PostgresOrderRows;

namespace Meterai.Storage.Postgres;

/// <summary>The operator's per-channel service fees on PostgreSQL.</summary>
internal sealed class PostgresChannelPriceStore(NpgsqlDataSource dataSource, IClock clock) : IChannelPriceStore
{
    public async Task<Rupiah?> ServiceFeeAsync(UInt128 channelId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT service_fee FROM channel_prices WHERE channel_id = $1");
        cmd.Parameters.Add(Id(channelId));
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long fee ? new Rupiah(fee) : null;
    }

    public async Task SetServiceFeeAsync(UInt128 channelId, Rupiah serviceFee, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO channel_prices (channel_id, service_fee, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (channel_id) DO UPDATE SET service_fee = excluded.service_fee, updated_at = excluded.updated_at
            """);
        cmd.Parameters.Add(Id(channelId));
        cmd.Parameters.Add(Long(serviceFee.Value));
        cmd.Parameters.Add(Time(clock.UtcNow));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
