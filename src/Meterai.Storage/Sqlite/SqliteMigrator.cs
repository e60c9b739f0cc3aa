using Meterai.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>
/// Applies SQLite migrations one per BEGIN IMMEDIATE transaction, reading <c>schema_migrations</c> inside it, so
/// that processes starting together on the same file apply each migration exactly once.
/// </summary>
internal static class SqliteMigrator
{
    public static async Task MigrateAsync(SqliteConnections connections, bool apply, CancellationToken ct)
    {
        var catalogue = Migration.For(DatabaseProvider.Sqlite);
        if (!apply)
        {
            var applied = (await AppliedAsync(connections, ct).ConfigureAwait(false)).ToDictionary(m => m.Version, m => m.Sha256);
            MigrationPlan.Next(catalogue, applied, apply: false);
            return;
        }

        await using (var conn = await connections.OpenAsync(ct).ConfigureAwait(false))
        {
            // WAL is a property of the file: set once, outside any transaction; readers then never block the writer.
            await using var wal = conn.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        while (true)
        {
            var done = await connections.WriteAsync(async (conn, tx) =>
            {
                await Exec(conn, tx, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    INTEGER PRIMARY KEY,
                        name       TEXT    NOT NULL,
                        sha256     TEXT    NOT NULL,
                        applied_at INTEGER NOT NULL)
                    """, ct).ConfigureAwait(false);
                var applied = new Dictionary<int, string>();
                await using (var read = conn.CreateCommand())
                {
                    read.Transaction = tx;
                    read.CommandText = "SELECT version, sha256 FROM schema_migrations";
                    await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await r.ReadAsync(ct).ConfigureAwait(false)) applied[r.GetInt32(0)] = r.GetString(1);
                }

                var next = MigrationPlan.Next(catalogue, applied, apply);
                if (next is null) return true;
                await Exec(conn, tx, next.Sql, ct).ConfigureAwait(false);
                await using var record = conn.CreateCommand();
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES ($v, $n, $s, $t)";
                record.Parameters.AddWithValue("$v", next.Version);
                record.Parameters.AddWithValue("$n", next.Name);
                record.Parameters.AddWithValue("$s", next.Sha256);
                record.Parameters.AddWithValue("$t", TimeCodec.ToMicros(DateTimeOffset.UtcNow));
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return false;
            }, ct).ConfigureAwait(false);
            if (done) return;
        }
    }

    public static async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(SqliteConnections connections, CancellationToken ct)
    {
        await using var conn = await connections.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0) return [];
        cmd.CommandText = "SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version";
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<AppliedMigration>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new AppliedMigration(r.GetInt32(0), r.GetString(1), r.GetString(2), TimeCodec.FromMicros(r.GetInt64(3))));
        }

        return list;
    }

    private static async Task Exec(SqliteConnection conn, SqliteTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
