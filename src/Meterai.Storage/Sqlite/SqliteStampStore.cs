using System.Globalization;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>Stamp requests on SQLite: every change under the file's single writer, so claims never collide.</summary>
internal sealed class SqliteStampStore(SqliteConnections db) : IStampStore
{
    private const string Columns = PostgresStampStore.Columns;

    public Task<(StampRecord Record, bool Created)> BeginAsync(StampRecord s, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            object?[] values =
            [
                Sq.Id(s.Id), Sq.Id(s.CallerId), Sq.Id(s.ApplicantId), Sq.Id(s.ChannelId), s.RequestSha256, (short)s.State, s.Attempt, s.Serial.Value,
                Sq.Id(s.PendingTransferId), s.LeaseToken == UInt128.Zero ? null : Sq.Id(s.LeaseToken), Sq.Time(s.LeaseUntil), s.Document.TypeCode,
                s.Document.Number, s.Document.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Document.Value, s.Placement.Page, s.Placement.X1,
                s.Placement.Y1, s.Placement.X2, s.Placement.Y2, s.FileName, s.InputBytes, s.InputSha256, s.IsJob ? 1 : 0, s.JobRuns, Sq.Time(s.NextRunAt),
                s.OutputSha256, s.OutputBytes, Sq.Time(s.StampedAt), Sq.Time(s.CreatedAt), Sq.Time(s.CompletedAt), Sq.Time(s.FileExpiresAt),
                Sq.Time(s.FilePurgedAt), s.ErrorCode, s.ErrorMessage, s.ErrorRetryable ? 1 : 0, s.Placement.Auto,
            ];
            var names = values.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var inserted = await Sq.ExecuteAsync(conn, tx, $"INSERT INTO stamps ({Columns}) VALUES ({string.Join(", ", names)}) ON CONFLICT (id) DO NOTHING",
                cancellationToken, names.Select((n, i) => (n, values[i])).ToArray()).ConfigureAwait(false);
            var stored = await Sq.FirstAsync(conn, tx, $"SELECT {Columns} FROM stamps WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(s.Id))).ConfigureAwait(false);
            return (stored!, inserted == 1);
        }, cancellationToken);

    public Task<StampRecord?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM stamps WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id)));

    public Task<StampRecord?> TakeOverAsync(UInt128 id, UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        UpdateOneAsync($"UPDATE stamps SET lease_token = $t, lease_until = $u WHERE id = $id AND state = 2 AND lease_until < $now RETURNING {Columns}", cancellationToken,
            ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$now", Sq.Time(now)), ("$u", Sq.Time(leaseUntil)));

    public Task<StampRecord?> RetryAsync(UInt128 id, int failedAttempt, UInt128 token, DateTimeOffset leaseUntil, SerialNumber serial, UInt128 pendingTransferId,
        CancellationToken cancellationToken = default) =>
        UpdateOneAsync($"""
            UPDATE stamps SET state = 2, attempt = attempt + 1, serial = $s, pending_transfer_id = $p, lease_token = $t, lease_until = $u,
                error_code = NULL, error_message = NULL, error_retryable = 0
            WHERE id = $id AND state = 4 AND error_retryable = 1 AND attempt = $a RETURNING {Columns}
            """, cancellationToken, ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$u", Sq.Time(leaseUntil)), ("$s", serial.Value), ("$p", Sq.Id(pendingTransferId)),
            ("$a", failedAttempt));

    public async Task<bool> RenewLeaseAsync(UInt128 id, UInt128 token, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, "UPDATE stamps SET lease_until = $u WHERE id = $id AND lease_token = $t AND state = 2", cancellationToken,
            ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$u", Sq.Time(leaseUntil))).ConfigureAwait(false) == 1;

    public async Task<bool> CompleteAsync(UInt128 id, UInt128 token, int attempt, StampCompletion c, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, """
            UPDATE stamps SET state = 3, output_sha256 = $o, output_bytes = $b, stamped_at = $s, completed_at = $c, file_expires_at = $e,
                lease_token = NULL, lease_until = NULL, rect_x1 = COALESCE($x1, rect_x1), rect_y1 = COALESCE($y1, rect_y1), rect_x2 = COALESCE($x2, rect_x2),
                rect_y2 = COALESCE($y2, rect_y2), placement_auto = COALESCE($pa, placement_auto)
            WHERE id = $id AND lease_token = $t AND attempt = $a AND state = 2
            """, cancellationToken, ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$a", attempt), ("$o", c.OutputSha256), ("$b", c.OutputBytes),
            ("$s", Sq.Time(c.StampedAt)), ("$c", Sq.Time(c.CompletedAt)), ("$e", Sq.Time(c.FileExpiresAt)), ("$x1", c.Placed?.X1), ("$y1", c.Placed?.Y1),
            ("$x2", c.Placed?.X2), ("$y2", c.Placed?.Y2), ("$pa", c.Placed?.Auto)).ConfigureAwait(false) == 1;

    public async Task<bool> FailAsync(UInt128 id, UInt128 token, int attempt, string code, string message, bool retryable, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, """
            UPDATE stamps SET state = 4, error_code = $code, error_message = $m, error_retryable = $r, completed_at = $at, lease_token = NULL, lease_until = NULL
            WHERE id = $id AND lease_token = $t AND attempt = $a AND state = 2
            """, cancellationToken, ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$a", attempt), ("$code", code), ("$m", message), ("$r", retryable ? 1 : 0),
            ("$at", Sq.Time(at))).ConfigureAwait(false) == 1;

    public async Task<bool> QueueAsync(UInt128 id, UInt128 token, DateTimeOffset nextRunAt, string? lastError, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, """
            UPDATE stamps SET state = 1, next_run_at = $n, error_message = $m, lease_token = NULL, lease_until = NULL
            WHERE id = $id AND lease_token = $t AND state = 2 AND is_job = 1
            """, cancellationToken, ("$id", Sq.Id(id)), ("$t", Sq.Id(token)), ("$n", Sq.Time(nextRunAt)), ("$m", lastError)).ConfigureAwait(false) == 1;

    public Task<IReadOnlyList<StampRecord>> ClaimJobsAsync(UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
        UpdateManyAsync($"""
            UPDATE stamps SET state = 2, lease_token = $t, lease_until = $u, job_runs = job_runs + 1
            WHERE id IN (SELECT id FROM stamps WHERE state = 1 AND next_run_at <= $now ORDER BY next_run_at LIMIT $n)
            RETURNING {Columns}
            """, cancellationToken, ("$t", Sq.Id(token)), ("$now", Sq.Time(now)), ("$u", Sq.Time(leaseUntil)), ("$n", limit));

    public Task<IReadOnlyList<StampRecord>> ClaimAbandonedAsync(UInt128 token, DateTimeOffset abandonedBefore, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken = default) =>
        UpdateManyAsync($"""
            UPDATE stamps SET lease_token = $t, lease_until = $u
            WHERE id IN (SELECT id FROM stamps WHERE state = 2 AND lease_until < $before ORDER BY lease_until LIMIT $n)
            RETURNING {Columns}
            """, cancellationToken, ("$t", Sq.Id(token)), ("$before", Sq.Time(abandonedBefore)), ("$u", Sq.Time(leaseUntil)), ("$n", limit));

    public Task<int> PurgeExpiredFilesAsync(DateTimeOffset now, int limit, Func<StampRecord, Task> deleteFile, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            var due = await Sq.QueryAsync(conn, tx, $"""
                SELECT {Columns} FROM stamps WHERE state = 3 AND file_purged_at IS NULL AND file_expires_at <= $now ORDER BY file_expires_at LIMIT $n
                """, Read, cancellationToken, ("$now", Sq.Time(now)), ("$n", limit)).ConfigureAwait(false);
            foreach (var s in due)
            {
                await deleteFile(s).ConfigureAwait(false);
                await Sq.ExecuteAsync(conn, tx, "UPDATE stamps SET file_purged_at = $now WHERE id = $id", cancellationToken, ("$now", Sq.Time(now)), ("$id", Sq.Id(s.Id)))
                    .ConfigureAwait(false);
            }

            return due.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<StampRecord>> ListAsync(StampQuery q, CancellationToken cancellationToken = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (q.ApplicantId is { } a)
        {
            where.Add("applicant_id = $a");
            parameters.Add(("$a", Sq.Id(a)));
        }

        if (q.ChannelId is { } c)
        {
            where.Add("channel_id = $c");
            parameters.Add(("$c", Sq.Id(c)));
        }

        if (q.CreatedBefore is { } before)
        {
            where.Add("created_at < $b");
            parameters.Add(("$b", Sq.Time(before)));
        }

        parameters.Add(("$n", q.Limit));
        var sql = $"SELECT {Columns} FROM stamps {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY created_at DESC LIMIT $n";
        return await Sq.QueryAsync(db, sql, Read, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    private Task<StampRecord?> UpdateOneAsync(string sql, CancellationToken ct, params (string, object?)[] parameters) =>
        db.WriteAsync((conn, tx) => Sq.FirstAsync(conn, tx, sql, Read, ct, parameters), ct);

    private async Task<IReadOnlyList<StampRecord>> UpdateManyAsync(string sql, CancellationToken ct, params (string, object?)[] parameters) =>
        await db.WriteAsync((conn, tx) => Sq.QueryAsync(conn, tx, sql, Read, ct, parameters), ct).ConfigureAwait(false);

    private static StampRecord Read(SqliteDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetId(2), r.GetId(3), (byte[])r[4], (StampState)r.GetInt16(5), r.GetInt32(6),
        SerialNumber.Parse(r.GetString(7)).Value, r.GetId(8), r.IsDBNull(9) ? UInt128.Zero : r.GetId(9), r.GetTimeOrNull(10),
        new StampDocument(r.GetString(11), r.GetStringOrNull(12),
            r.IsDBNull(13) ? null : DateOnly.ParseExact(r.GetString(13), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.IsDBNull(14) ? null : r.GetInt64(14)),
        new StampPlacement(r.GetInt32(15), r.GetDouble(16), r.GetDouble(17), r.GetDouble(18), r.GetDouble(19), r.GetStringOrNull(36)),
        r.GetStringOrNull(20), r.GetInt64(21), (byte[])r[22], r.GetInt64(23) == 1, r.GetInt32(24), r.GetTimeOrNull(25),
        r.GetBytesOrNull(26), r.IsDBNull(27) ? null : r.GetInt64(27), r.GetTimeOrNull(28), r.GetTime(29), r.GetTimeOrNull(30), r.GetTimeOrNull(31),
        r.GetTimeOrNull(32), r.GetStringOrNull(33), r.GetStringOrNull(34), r.GetInt64(35) == 1);
}
