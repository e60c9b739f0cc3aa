using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Npgsql;

namespace Meterai.Storage.Postgres;

/// <summary>
/// Stamp requests on PostgreSQL: each step one statement (conditional on the lease token), claims with
/// <c>FOR UPDATE SKIP LOCKED</c> so that several nodes share the queue and the recovery work without waiting.
/// </summary>
internal sealed class PostgresStampStore(NpgsqlDataSource ds) : IStampStore
{
    internal const string Columns =
        "id, caller_id, applicant_id, channel_id, request_sha256, state, attempt, serial, pending_transfer_id, lease_token, lease_until, " +
        "document_type, document_number, document_date, document_value, page, rect_x1, rect_y1, rect_x2, rect_y2, file_name, input_bytes, " +
        "input_sha256, is_job, job_runs, next_run_at, output_sha256, output_bytes, stamped_at, created_at, completed_at, file_expires_at, " +
        "file_purged_at, error_code, error_message, error_retryable, placement_auto";

    public async Task<(StampRecord Record, bool Created)> BeginAsync(StampRecord s, CancellationToken cancellationToken = default)
    {
        var inserted = await Pg.FirstAsync(ds, $"""
            INSERT INTO stamps ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37)
            ON CONFLICT (id) DO NOTHING RETURNING {Columns}
            """, Read, cancellationToken,
            Pg.Id(s.Id), Pg.Id(s.CallerId), Pg.Id(s.ApplicantId), Pg.Id(s.ChannelId), Pg.Bytes(s.RequestSha256), Pg.Short((short)s.State), Pg.Int(s.Attempt),
            Pg.Text(s.Serial.Value), Pg.Id(s.PendingTransferId), PgMore.NullableId(s.LeaseToken), Pg.Time(s.LeaseUntil), Pg.Text(s.Document.TypeCode),
            Pg.Text(s.Document.Number), PgMore.Date(s.Document.Date), Pg.NullableLong(s.Document.Value), Pg.Int(s.Placement.Page), PgMore.Double(s.Placement.X1),
            PgMore.Double(s.Placement.Y1), PgMore.Double(s.Placement.X2), PgMore.Double(s.Placement.Y2), Pg.Text(s.FileName), Pg.Long(s.InputBytes),
            Pg.Bytes(s.InputSha256), PgMore.Bool(s.IsJob), Pg.Int(s.JobRuns), Pg.Time(s.NextRunAt), Pg.Bytes(s.OutputSha256), Pg.NullableLong(s.OutputBytes),
            Pg.Time(s.StampedAt), Pg.Time(s.CreatedAt), Pg.Time(s.CompletedAt), Pg.Time(s.FileExpiresAt), Pg.Time(s.FilePurgedAt), Pg.Text(s.ErrorCode),
            Pg.Text(s.ErrorMessage), PgMore.Bool(s.ErrorRetryable), Pg.Text(s.Placement.Auto)).ConfigureAwait(false);
        if (inserted is not null) return (inserted, true);
        return (await GetAsync(s.Id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("a stamp vanished after a conflicting insert"), false);
    }

    public Task<StampRecord?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM stamps WHERE id = $1", Read, cancellationToken, Pg.Id(id));

    public Task<StampRecord?> TakeOverAsync(UInt128 id, UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"""
            UPDATE stamps SET lease_token = $2, lease_until = $4 WHERE id = $1 AND state = 2 AND lease_until < $3 RETURNING {Columns}
            """, Read, cancellationToken, Pg.Id(id), Pg.Id(token), Pg.Time(now), Pg.Time(leaseUntil));

    public Task<StampRecord?> RetryAsync(UInt128 id, int failedAttempt, UInt128 token, DateTimeOffset leaseUntil, SerialNumber serial, UInt128 pendingTransferId,
        CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"""
            UPDATE stamps SET state = 2, attempt = attempt + 1, serial = $4, pending_transfer_id = $5, lease_token = $2, lease_until = $3,
                error_code = NULL, error_message = NULL, error_retryable = false
            WHERE id = $1 AND state = 4 AND error_retryable AND attempt = $6 RETURNING {Columns}
            """, Read, cancellationToken, Pg.Id(id), Pg.Id(token), Pg.Time(leaseUntil), Pg.Text(serial.Value), Pg.Id(pendingTransferId), Pg.Int(failedAttempt));

    public async Task<bool> RenewLeaseAsync(UInt128 id, UInt128 token, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, "UPDATE stamps SET lease_until = $3 WHERE id = $1 AND lease_token = $2 AND state = 2", cancellationToken,
            Pg.Id(id), Pg.Id(token), Pg.Time(leaseUntil)).ConfigureAwait(false) == 1;

    public async Task<bool> CompleteAsync(UInt128 id, UInt128 token, int attempt, StampCompletion c, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, """
            UPDATE stamps SET state = 3, output_sha256 = $4, output_bytes = $5, stamped_at = $6, completed_at = $7, file_expires_at = $8,
                lease_token = NULL, lease_until = NULL, rect_x1 = COALESCE($9, rect_x1), rect_y1 = COALESCE($10, rect_y1), rect_x2 = COALESCE($11, rect_x2),
                rect_y2 = COALESCE($12, rect_y2), placement_auto = COALESCE($13, placement_auto)
            WHERE id = $1 AND lease_token = $2 AND attempt = $3 AND state = 2
            """, cancellationToken, Pg.Id(id), Pg.Id(token), Pg.Int(attempt), Pg.Bytes(c.OutputSha256), Pg.Long(c.OutputBytes), Pg.Time(c.StampedAt),
            Pg.Time(c.CompletedAt), Pg.Time(c.FileExpiresAt), NullableDouble(c.Placed?.X1), NullableDouble(c.Placed?.Y1), NullableDouble(c.Placed?.X2),
            NullableDouble(c.Placed?.Y2), Pg.Text(c.Placed?.Auto)).ConfigureAwait(false) == 1;

    private static NpgsqlParameter NullableDouble(double? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double };

    public async Task<bool> FailAsync(UInt128 id, UInt128 token, int attempt, string code, string message, bool retryable, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, """
            UPDATE stamps SET state = 4, error_code = $4, error_message = $5, error_retryable = $6, completed_at = $7, lease_token = NULL, lease_until = NULL
            WHERE id = $1 AND lease_token = $2 AND attempt = $3 AND state = 2
            """, cancellationToken, Pg.Id(id), Pg.Id(token), Pg.Int(attempt), Pg.Text(code), Pg.Text(message), PgMore.Bool(retryable), Pg.Time(at))
            .ConfigureAwait(false) == 1;

    public async Task<bool> QueueAsync(UInt128 id, UInt128 token, DateTimeOffset nextRunAt, string? lastError, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, """
            UPDATE stamps SET state = 1, next_run_at = $3, error_message = $4, lease_token = NULL, lease_until = NULL
            WHERE id = $1 AND lease_token = $2 AND state = 2 AND is_job
            """, cancellationToken, Pg.Id(id), Pg.Id(token), Pg.Time(nextRunAt), Pg.Text(lastError)).ConfigureAwait(false) == 1;

    public async Task<IReadOnlyList<StampRecord>> ClaimJobsAsync(UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"""
            UPDATE stamps SET state = 2, lease_token = $1, lease_until = $3, job_runs = job_runs + 1
            WHERE id IN (SELECT id FROM stamps WHERE state = 1 AND next_run_at <= $2 ORDER BY next_run_at LIMIT $4 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, Read, cancellationToken, Pg.Id(token), Pg.Time(now), Pg.Time(leaseUntil), Pg.Int(limit)).ConfigureAwait(false);

    public async Task<IReadOnlyList<StampRecord>> ClaimAbandonedAsync(UInt128 token, DateTimeOffset abandonedBefore, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"""
            UPDATE stamps SET lease_token = $1, lease_until = $3
            WHERE id IN (SELECT id FROM stamps WHERE state = 2 AND lease_until < $2 ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, Read, cancellationToken, Pg.Id(token), Pg.Time(abandonedBefore), Pg.Time(leaseUntil), Pg.Int(limit)).ConfigureAwait(false);

    public Task<int> PurgeExpiredFilesAsync(DateTimeOffset now, int limit, Func<StampRecord, Task> deleteFile, CancellationToken cancellationToken = default) =>
        Pg.InTransactionAsync(ds, async (conn, tx, ct) =>
        {
            var due = await Pg.QueryAsync(conn, tx, $"""
                SELECT {Columns} FROM stamps WHERE state = 3 AND file_purged_at IS NULL AND file_expires_at <= $1
                ORDER BY file_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
                """, Read, ct, Pg.Time(now), Pg.Int(limit)).ConfigureAwait(false);
            foreach (var s in due) await deleteFile(s).ConfigureAwait(false);
            if (due.Count > 0)
            {
                await Pg.ExecuteAsync(conn, tx, "UPDATE stamps SET file_purged_at = $1 WHERE id = ANY($2)", ct, Pg.Time(now), PgMore.Ids(due.Select(s => s.Id)))
                    .ConfigureAwait(false);
            }

            return due.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<StampRecord>> ListAsync(StampQuery q, CancellationToken cancellationToken = default)
    {
        var where = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        if (q.ApplicantId is { } a)
        {
            parameters.Add(Pg.Id(a));
            where.Add($"applicant_id = ${parameters.Count}");
        }

        if (q.ChannelId is { } c)
        {
            parameters.Add(Pg.Id(c));
            where.Add($"channel_id = ${parameters.Count}");
        }

        if (q.CreatedBefore is { } before)
        {
            parameters.Add(Pg.Time(before));
            where.Add($"created_at < ${parameters.Count}");
        }

        parameters.Add(Pg.Int(q.Limit));
        var sql = $"SELECT {Columns} FROM stamps {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY created_at DESC LIMIT ${parameters.Count}";
        return await Pg.QueryAsync(ds, sql, Read, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    internal static StampRecord Read(NpgsqlDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetId(2), r.GetId(3), r.GetFieldValue<byte[]>(4), (StampState)r.GetInt16(5), r.GetInt32(6),
        SerialNumber.Parse(r.GetString(7)).Value, r.GetId(8), r.IsDBNull(9) ? UInt128.Zero : r.GetId(9), r.GetTimeOrNull(10),
        new StampDocument(r.GetString(11), r.GetStringOrNull(12), r.IsDBNull(13) ? null : r.GetFieldValue<DateOnly>(13), r.IsDBNull(14) ? null : r.GetInt64(14)),
        new StampPlacement(r.GetInt32(15), r.GetDouble(16), r.GetDouble(17), r.GetDouble(18), r.GetDouble(19), r.GetStringOrNull(36)),
        r.GetStringOrNull(20), r.GetInt64(21), r.GetFieldValue<byte[]>(22), r.GetBoolean(23), r.GetInt32(24), r.GetTimeOrNull(25),
        r.GetBytesOrNull(26), r.IsDBNull(27) ? null : r.GetInt64(27), r.GetTimeOrNull(28), r.GetTime(29), r.GetTimeOrNull(30), r.GetTimeOrNull(31),
        r.GetTimeOrNull(32), r.GetStringOrNull(33), r.GetStringOrNull(34), r.GetBoolean(35));
}
