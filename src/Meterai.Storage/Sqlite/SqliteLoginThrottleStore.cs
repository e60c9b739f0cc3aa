using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteLoginThrottleStore(SqliteConnections db) : ILoginThrottleStore
{
    public Task<LoginFailures?> GetAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, "SELECT failures, window_start FROM login_failures WHERE key = $k", Read, cancellationToken, ("$k", key));

    public Task<LoginFailures> RecordFailureAsync(byte[] key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) => (await Sq.QueryAsync(conn, tx, """
            INSERT INTO login_failures (key, failures, window_start) VALUES ($k, 1, $now)
            ON CONFLICT (key) DO UPDATE SET
                failures     = CASE WHEN login_failures.window_start <= $since THEN 1    ELSE login_failures.failures + 1 END,
                window_start = CASE WHEN login_failures.window_start <= $since THEN $now ELSE login_failures.window_start END
            RETURNING failures, window_start
            """, Read, cancellationToken, ("$k", key), ("$now", Sq.Time(now)), ("$since", Sq.Time(now - window))).ConfigureAwait(false))[0], cancellationToken);

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM login_failures WHERE key = $k", cancellationToken, ("$k", key));

    private static LoginFailures Read(SqliteDataReader r) => new(r.GetInt32(0), r.GetTime(1));
}
