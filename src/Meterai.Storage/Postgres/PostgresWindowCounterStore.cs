using Meterai.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresWindowCounterStore(NpgsqlDataSource ds) : IWindowCounterStore
{
    public async Task<IReadOnlyList<WindowCount>> CountAsync(IReadOnlyList<byte[]> keys, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default)
    {
        // Every key in one statement (one round trip); rows are locked in key order, so two nodes counting the same
        // keys never deadlock.
        var rows = await PostgresRetry.RunAsync(ct => Pg.QueryAsync(ds, """
            INSERT INTO window_counters (key, events, window_start)
            SELECT k, 1, $2 FROM unnest($1::bytea[]) AS k ORDER BY k
            ON CONFLICT (key) DO UPDATE SET
                events       = CASE WHEN window_counters.window_start <= $3 THEN 1  ELSE window_counters.events + 1 END,
                window_start = CASE WHEN window_counters.window_start <= $3 THEN $2 ELSE window_counters.window_start END
            RETURNING key, events, window_start
            """, r => (Key: r.GetFieldValue<byte[]>(0), Count: new WindowCount(r.GetInt32(1), r.GetTime(2))), ct,
            new NpgsqlParameter { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea }, Pg.Time(now), Pg.Time(now - window)),
            cancellationToken).ConfigureAwait(false);
        return keys.Select(k => rows.First(r => r.Key.AsSpan().SequenceEqual(k)).Count).ToList();
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM window_counters WHERE window_start < $1", cancellationToken, Pg.Time(before));
}
