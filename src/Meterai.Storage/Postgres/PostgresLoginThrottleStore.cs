using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresLoginThrottleStore(NpgsqlDataSource ds) : ILoginThrottleStore
{
    public async Task<LoginAttempt> BeginAsync(byte[] key, byte[] account, DateTimeOffset now, TimeSpan hold, TimeSpan memory, CancellationToken cancellationToken = default)
    {
        // One statement: the upsert takes the row only when the client need not wait (the row lock orders attempts
        // racing on several nodes; the losers' WHERE fails); when it does not, the row as it was says until when.
        var rows = await Pg.QueryAsync(ds, """
            WITH up AS (
                INSERT INTO login_throttle (key, account, failures, not_before, updated_at) VALUES ($1, $2, 0, $3, $4)
                ON CONFLICT (key) DO UPDATE SET
                    failures   = CASE WHEN login_throttle.updated_at <= $5 THEN 0 ELSE login_throttle.failures END,
                    not_before = $3,
                    updated_at = $4
                WHERE login_throttle.not_before <= $4
                RETURNING failures, not_before)
            SELECT true, failures, not_before FROM up
            UNION ALL
            SELECT false, failures, not_before FROM login_throttle WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM up)
            """, Read, cancellationToken, Pg.Bytes(key), Pg.Bytes(account), Pg.Time(now + hold), Pg.Time(now), Pg.Time(now - memory)).ConfigureAwait(false);
        // Nothing at all: another node inserted the row after this statement's snapshot and holds it.
        return rows.Count == 1 ? rows[0] : new LoginAttempt(false, 0, now + hold);
    }

    public Task RecordFailureAsync(byte[] key, int failures, DateTimeOffset notBefore, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "UPDATE login_throttle SET failures = $1, not_before = $2, updated_at = $3 WHERE key = $4", cancellationToken,
            Pg.Int(failures), Pg.Time(notBefore), Pg.Time(now), Pg.Bytes(key));

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM login_throttle WHERE key = $1", cancellationToken, Pg.Bytes(key));

    public Task<int> ClearAccountAsync(byte[] account, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM login_throttle WHERE account = $1", cancellationToken, Pg.Bytes(account));

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM login_throttle WHERE updated_at < $1 AND not_before < $1", cancellationToken, Pg.Time(before));

    private static LoginAttempt Read(NpgsqlDataReader r) => new(r.GetBoolean(0), r.GetInt32(1), r.GetTime(2));
}
