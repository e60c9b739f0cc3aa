using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>Deposits and allocations on SQLite: an allocation is decided under the file's write lock.</summary>
internal sealed class SqliteChannelFundsStore(SqliteConnections db) : IChannelFundsStore
{
    private const string DepositColumns = "id, channel_id, amount, reference, recorded_by, recorded_at";
    private const string AllocationColumns = "id, channel_id, stamps, price_per_stamp, amount, state, recorded_by, recorded_at, failure_code";

    public Task<Result<ChannelDeposit>> RecordDepositAsync(ChannelDeposit d, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<ChannelDeposit>>(async (conn, tx) =>
        {
            await Sq.ExecuteAsync(conn, tx, $"INSERT INTO channel_deposits ({DepositColumns}) VALUES ($id, $c, $a, $r, $b, $t) ON CONFLICT (id) DO NOTHING", cancellationToken,
                ("$id", Sq.Id(d.Id)), ("$c", Sq.Id(d.ChannelId)), ("$a", d.Amount), ("$r", d.Reference), ("$b", Sq.Id(d.RecordedBy)), ("$t", Sq.Time(d.RecordedAt)))
                .ConfigureAwait(false);
            var stored = await Sq.FirstAsync(conn, tx, $"SELECT {DepositColumns} FROM channel_deposits WHERE id = $id", ReadDeposit, cancellationToken, ("$id", Sq.Id(d.Id)))
                .ConfigureAwait(false);
            return FundsRules.SameDeposit(stored!, d) ? stored! : FundsRules.Reused();
        }, cancellationToken);

    public Task<Result<ChannelAllocation>> ReserveAllocationAsync(ChannelAllocation a, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<ChannelAllocation>>(async (conn, tx) =>
        {
            var existing = await Sq.FirstAsync(conn, tx, $"SELECT {AllocationColumns} FROM channel_allocations WHERE id = $id", ReadAllocation, cancellationToken,
                ("$id", Sq.Id(a.Id))).ConfigureAwait(false);
            if (existing is not null) return FundsRules.SameAllocation(existing, a) ? existing : FundsRules.Reused();
            var balance = await BalanceAsync(conn, tx, a.ChannelId, cancellationToken).ConfigureAwait(false);
            if (FundsRules.Refuse(balance, a) is { } refusal) return refusal;
            await Sq.ExecuteAsync(conn, tx, $"INSERT INTO channel_allocations ({AllocationColumns}) VALUES ($id, $c, $s, $p, $a, 1, $b, $t, NULL)", cancellationToken,
                ("$id", Sq.Id(a.Id)), ("$c", Sq.Id(a.ChannelId)), ("$s", a.Stamps), ("$p", a.PricePerStamp), ("$a", a.Amount), ("$b", Sq.Id(a.RecordedBy)),
                ("$t", Sq.Time(a.RecordedAt))).ConfigureAwait(false);
            return a with { State = AllocationState.Reserved, RecordedAt = TimeCodec.Truncate(a.RecordedAt), FailureCode = null };
        }, cancellationToken);

    public Task<ChannelAllocation?> SettleAllocationAsync(UInt128 id, AllocationState state, string? failureCode, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            await Sq.ExecuteAsync(conn, tx, "UPDATE channel_allocations SET state = $s, failure_code = $f WHERE id = $id AND state = 1", cancellationToken,
                ("$id", Sq.Id(id)), ("$s", (short)state), ("$f", state == AllocationState.Failed ? failureCode ?? "failed" : null)).ConfigureAwait(false);
            return await Sq.FirstAsync(conn, tx, $"SELECT {AllocationColumns} FROM channel_allocations WHERE id = $id", ReadAllocation, cancellationToken, ("$id", Sq.Id(id)))
                .ConfigureAwait(false);
        }, cancellationToken);

    public async Task<ChannelFundsBalance> BalanceAsync(UInt128 channelId, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await BalanceAsync(conn, null, channelId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ChannelDeposit>> DepositsAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {DepositColumns} FROM channel_deposits WHERE channel_id = $c ORDER BY recorded_at, id", ReadDeposit, cancellationToken,
            ("$c", Sq.Id(channelId))).ConfigureAwait(false);

    public async Task<IReadOnlyList<ChannelAllocation>> AllocationsAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {AllocationColumns} FROM channel_allocations WHERE channel_id = $c ORDER BY recorded_at, id", ReadAllocation, cancellationToken,
            ("$c", Sq.Id(channelId))).ConfigureAwait(false);

    public async Task<IReadOnlyList<ChannelAllocation>> StaleReservedAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {AllocationColumns} FROM channel_allocations WHERE state = 1 AND recorded_at < $b ORDER BY recorded_at LIMIT $n", ReadAllocation,
            cancellationToken, ("$b", Sq.Time(before)), ("$n", limit)).ConfigureAwait(false);

    private static async Task<ChannelFundsBalance> BalanceAsync(SqliteConnection conn, SqliteTransaction? tx, UInt128 channelId, CancellationToken ct) =>
        (await Sq.QueryAsync(conn, tx, """
            SELECT COALESCE((SELECT sum(amount) FROM channel_deposits WHERE channel_id = $c), 0),
                   COALESCE((SELECT sum(amount) FROM channel_allocations WHERE channel_id = $c AND state IN (1, 2)), 0)
            """, r => new ChannelFundsBalance(r.GetInt64(0), r.GetInt64(1)), ct, ("$c", Sq.Id(channelId))).ConfigureAwait(false))[0];

    private static ChannelDeposit ReadDeposit(SqliteDataReader r) => new(r.GetId(0), r.GetId(1), r.GetInt64(2), r.GetString(3), r.GetId(4), r.GetTime(5));

    private static ChannelAllocation ReadAllocation(SqliteDataReader r) =>
        new(r.GetId(0), r.GetId(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), (AllocationState)r.GetInt16(5), r.GetId(6), r.GetTime(7), r.GetStringOrNull(8));
}
