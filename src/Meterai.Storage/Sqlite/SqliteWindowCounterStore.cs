using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteWindowCounterStore(SqliteConnections db) : IWindowCounterStore
{
    public Task<IReadOnlyList<WindowCount>> CountAsync(IReadOnlyList<byte[]> keys, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default) =>
        db.WriteAsync<IReadOnlyList<WindowCount>>(async (conn, tx) =>
        {
            var counts = new WindowCount[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                counts[i] = (await Sq.QueryAsync(conn, tx, """
                    INSERT INTO window_counters (key, events, window_start) VALUES ($k, 1, $now)
                    ON CONFLICT (key) DO UPDATE SET
                        events       = CASE WHEN window_counters.window_start <= $since THEN 1    ELSE window_counters.events + 1 END,
                        window_start = CASE WHEN window_counters.window_start <= $since THEN $now ELSE window_counters.window_start END
                    RETURNING events, window_start
                    """, Read, cancellationToken, ("$k", keys[i]), ("$now", Sq.Time(now)), ("$since", Sq.Time(now - window))).ConfigureAwait(false))[0];
            }

            return counts;
        }, cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM window_counters WHERE window_start < $t", cancellationToken, ("$t", Sq.Time(before)));

    private static WindowCount Read(SqliteDataReader r) => new(r.GetInt32(0), r.GetTime(1));
}
