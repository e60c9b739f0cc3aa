using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Npgsql;

namespace Meterai.Storage.Postgres;

/// <summary>Deposits and allocations on PostgreSQL. An allocation is decided with the channel's row locked, so two admins allocating at once cannot both spend the same money.</summary>
internal sealed class PostgresChannelFundsStore(NpgsqlDataSource ds) : IChannelFundsStore
{
    private const string DepositColumns = "id, channel_id, amount, reference, recorded_by, recorded_at";
    private const string AllocationColumns = "id, channel_id, stamps, price_per_stamp, amount, state, recorded_by, recorded_at, failure_code";

    public async Task<Result<ChannelDeposit>> RecordDepositAsync(ChannelDeposit d, CancellationToken cancellationToken = default)
    {
        await Pg.ExecuteAsync(ds, $"INSERT INTO channel_deposits ({DepositColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", cancellationToken,
            Pg.Id(d.Id), Pg.Id(d.ChannelId), Pg.Long(d.Amount), Pg.Text(d.Reference), Pg.Id(d.RecordedBy), Pg.Time(d.RecordedAt)).ConfigureAwait(false);
        var stored = await Pg.FirstAsync(ds, $"SELECT {DepositColumns} FROM channel_deposits WHERE id = $1", ReadDeposit, cancellationToken, Pg.Id(d.Id)).ConfigureAwait(false);
        return FundsRules.SameDeposit(stored!, d) ? stored! : FundsRules.Reused();
    }

    public Task<Result<ChannelAllocation>> ReserveAllocationAsync(ChannelAllocation a, CancellationToken cancellationToken = default) =>
        Pg.InTransactionAsync<Result<ChannelAllocation>>(ds, async (conn, tx, ct) =>
        {
            var existing = await Pg.FirstAsync(conn, tx, $"SELECT {AllocationColumns} FROM channel_allocations WHERE id = $1", ReadAllocation, ct, Pg.Id(a.Id))
                .ConfigureAwait(false);
            if (existing is not null) return FundsRules.SameAllocation(existing, a) ? existing : FundsRules.Reused();
            await Pg.ExecuteAsync(conn, tx, "SELECT 1 FROM channels WHERE id = $1 FOR UPDATE", ct, Pg.Id(a.ChannelId)).ConfigureAwait(false);
            var balance = await BalanceAsync(conn, tx, a.ChannelId, ct).ConfigureAwait(false);
            if (FundsRules.Refuse(balance, a) is { } refusal) return refusal;
            await Pg.ExecuteAsync(conn, tx, $"INSERT INTO channel_allocations ({AllocationColumns}) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, NULL)", ct,
                Pg.Id(a.Id), Pg.Id(a.ChannelId), Pg.Long(a.Stamps), Pg.Long(a.PricePerStamp), Pg.Long(a.Amount), Pg.Id(a.RecordedBy), Pg.Time(a.RecordedAt))
                .ConfigureAwait(false);
            return a with { State = AllocationState.Reserved, RecordedAt = TimeCodec.Truncate(a.RecordedAt), FailureCode = null };
        }, cancellationToken);

    public async Task<ChannelAllocation?> SettleAllocationAsync(UInt128 id, AllocationState state, string? failureCode, CancellationToken cancellationToken = default)
    {
        await Pg.ExecuteAsync(ds, "UPDATE channel_allocations SET state = $2, failure_code = $3 WHERE id = $1 AND state = 1", cancellationToken,
            Pg.Id(id), Pg.Short((short)state), Pg.Text(state == AllocationState.Failed ? failureCode ?? "failed" : null)).ConfigureAwait(false);
        return await Pg.FirstAsync(ds, $"SELECT {AllocationColumns} FROM channel_allocations WHERE id = $1", ReadAllocation, cancellationToken, Pg.Id(id)).ConfigureAwait(false);
    }

    public async Task<ChannelFundsBalance> BalanceAsync(UInt128 channelId, CancellationToken cancellationToken = default)
    {
        await using var conn = await ds.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await BalanceAsync(conn, null, channelId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ChannelDeposit>> DepositsAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {DepositColumns} FROM channel_deposits WHERE channel_id = $1 ORDER BY recorded_at, id", ReadDeposit, cancellationToken, Pg.Id(channelId))
            .ConfigureAwait(false);

    public async Task<IReadOnlyList<ChannelAllocation>> AllocationsAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {AllocationColumns} FROM channel_allocations WHERE channel_id = $1 ORDER BY recorded_at, id", ReadAllocation, cancellationToken,
            Pg.Id(channelId)).ConfigureAwait(false);

    public async Task<IReadOnlyList<ChannelAllocation>> StaleReservedAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {AllocationColumns} FROM channel_allocations WHERE state = 1 AND recorded_at < $1 ORDER BY recorded_at LIMIT $2", ReadAllocation,
            cancellationToken, Pg.Time(before), Pg.Int(limit)).ConfigureAwait(false);

    private static async Task<ChannelFundsBalance> BalanceAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, UInt128 channelId, CancellationToken ct) =>
        (await Pg.QueryAsync(conn, tx, """
            SELECT COALESCE((SELECT sum(amount) FROM channel_deposits WHERE channel_id = $1), 0)::bigint,
                   COALESCE((SELECT sum(amount) FROM channel_allocations WHERE channel_id = $1 AND state IN (1, 2)), 0)::bigint
            """, r => new ChannelFundsBalance(r.GetInt64(0), r.GetInt64(1)), ct, Pg.Id(channelId)).ConfigureAwait(false))[0];

    private static ChannelDeposit ReadDeposit(NpgsqlDataReader r) => new(r.GetId(0), r.GetId(1), r.GetInt64(2), r.GetString(3), r.GetId(4), r.GetTime(5));

    private static ChannelAllocation ReadAllocation(NpgsqlDataReader r) =>
        new(r.GetId(0), r.GetId(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), (AllocationState)r.GetInt16(5), r.GetId(6), r.GetTime(7), r.GetStringOrNull(8));
}
