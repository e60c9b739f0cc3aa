using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresLoginThrottleStore(NpgsqlDataSource ds) : ILoginThrottleStore
{
    public Task<LoginFailures?> GetAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, "SELECT failures, window_start FROM login_failures WHERE key = $1", Read, cancellationToken, Pg.Bytes(key));

    public async Task<LoginFailures> RecordFailureAsync(byte[] key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default) =>
        // One statement: concurrent failures on several nodes each count (the row lock of the upsert orders them).
        (await Pg.QueryAsync(ds, """
            INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2)
            ON CONFLICT (key) DO UPDATE SET
                failures     = CASE WHEN login_failures.window_start <= $3 THEN 1  ELSE login_failures.failures + 1 END,
                window_start = CASE WHEN login_failures.window_start <= $3 THEN $2 ELSE login_failures.window_start END
            RETURNING failures, window_start
            """, Read, cancellationToken, Pg.Bytes(key), Pg.Time(now), Pg.Time(now - window)).ConfigureAwait(false))[0];

    public Task ClearAsync(byte[] key, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM login_failures WHERE key = $1", cancellationToken, Pg.Bytes(key));

    private static LoginFailures Read(NpgsqlDataReader r) => new(r.GetInt32(0), r.GetTime(1));
}
