using Meterai.Core.Identity;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteLoginThrottleStore(SqliteConnections db) : ILoginThrottleStore
{
    public Task<LoginAttempt> BeginAsync(byte[] key, byte[] account, DateTimeOffset now, TimeSpan hold, TimeSpan memory, CancellationToken cancellationToken = default) =>
        // One writer per process and BEGIN IMMEDIATE across processes: the read and the write below cannot interleave with another attempt's.
        db.WriteAsync(async (conn, tx) =>
        {
            var ct = cancellationToken;
            var rows = await Sq.QueryAsync(conn, tx, "SELECT failures, not_before, updated_at FROM login_throttle WHERE key = $k",
                r => (Failures: r.GetInt32(0), NotBefore: r.GetTime(1), UpdatedAt: r.GetTime(2)), ct, ("$k", key)).ConfigureAwait(false);
            if (rows.Count == 1 && rows[0].NotBefore > now) return new LoginAttempt(false, rows[0].Failures, rows[0].NotBefore);
            var failures = rows.Count == 1 && rows[0].UpdatedAt > now - memory ? rows[0].Failures : 0;
            await Sq.ExecuteAsync(conn, tx, """
                INSERT INTO login_throttle (key, account, failures, not_before, updated_at) VALUES ($k, $a, $f, $hold, $now)
                ON CONFLICT (key) DO UPDATE SET failures = $f, not_before = $hold, updated_at = $now
                """, ct, ("$k", key), ("$a", account), ("$f", failures), ("$hold", Sq.Time(now + hold)), ("$now", Sq.Time(now))).ConfigureAwait(false);
            return new LoginAttempt(true, failures, now + hold);
        }, cancellationToken);

    public Task RecordFailureAsync(byte[] key, int failures, DateTimeOffset notBefore, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "UPDATE login_throttle SET failures = $f, not_before = $nb, updated_at = $now WHERE key = $k", cancellationToken,
            ("$f", failures), ("$nb", Sq.Time(notBefore)), ("$now", Sq.Time(now)), ("$k", key));

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM login_throttle WHERE key = $k", cancellationToken, ("$k", key));

    public Task<int> ClearAccountAsync(byte[] account, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM login_throttle WHERE account = $a", cancellationToken, ("$a", account));

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM login_throttle WHERE updated_at < $t AND not_before < $t", cancellationToken, ("$t", Sq.Time(before)));
}
