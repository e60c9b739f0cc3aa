using Meterai.Storage.Migrations;
using Npgsql;

namespace Meterai.Storage.Postgres;

/// <summary>
/// Applies PostgreSQL migrations under a session advisory lock, so that several nodes starting at once apply each
/// migration exactly once (the others wait, then find nothing left to do). Each migration runs in its own
/// transaction together with its <c>schema_migrations</c> row.
/// </summary>
internal static class PostgresMigrator
{
    // Any fixed 64-bit number works, as long as it is only used for this: "Meterai!" in ASCII.
    private const long AdvisoryLockKey = 0x4d65746572616921;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, bool apply, CancellationToken ct)
    {
        var catalogue = Migration.For(DatabaseProvider.Postgres);
        if (!apply)
        {
            var recorded = (await AppliedAsync(dataSource, ct).ConfigureAwait(false)).ToDictionary(m => m.Version, m => m.Sha256);
            MigrationPlan.Next(catalogue, recorded, apply: false);
            return;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await Exec(conn, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct).ConfigureAwait(false);
        try
        {
            await Exec(conn, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    sha256     text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct).ConfigureAwait(false);
            while (true)
            {
                var applied = new Dictionary<int, string>();
                await using (var read = new NpgsqlCommand("SELECT version, sha256 FROM schema_migrations", conn))
                await using (var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await r.ReadAsync(ct).ConfigureAwait(false)) applied[r.GetInt32(0)] = r.GetString(1);
                }

                var next = MigrationPlan.Next(catalogue, applied, apply);
                if (next is null) return;
                await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
                await Exec(conn, tx, next.Sql, ct).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)", conn, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = next.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = next.Name });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = next.Sha256 });
                    await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            // Released explicitly (not left to the session's end): the connection goes back to the pool, alive.
            await Exec(conn, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true) return [];
        }

        await using var cmd = dataSource.CreateCommand("SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<AppliedMigration>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new AppliedMigration(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        }

        return list;
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
