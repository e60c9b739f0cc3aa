using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>
/// The stamp journal on PostgreSQL with group commit: the openings and closings submitted at the same moment share one
/// transaction of a few set-based statements (the serial reservations, which lock no account, another), instead of four single-row transactions per stamp
/// (each a round trip, a commit and two context switches, which at hundreds of stamps a second were most of
/// PostgreSQL's work). A batch: insert the new stamps (ascending id) and reserve the serials (pending transfers are
/// share-locked before any account, the ledger's lock order); the ledger's batch flow for the new stamps' reservations
/// and the closings' posts; bind the closings' serials, complete the closings' stamps whose serial is bound to their
/// output; commit. An entry the batch cannot decide alone (a stamp that exists already) and
/// every entry of a batch that fails (a lost race, a constraint) is answered by <see cref="StepwiseStampJournal"/>,
/// whose steps are the same and idempotent.
/// </summary>
internal sealed class PostgresStampJournal : IStampJournal, IAsyncDisposable
{
    private const string InsertStampsSql = """
        INSERT INTO stamps (id, caller_id, applicant_id, channel_id, request_sha256, state, attempt, serial, pending_transfer_id, lease_token, lease_until,
            document_type, document_number, document_date, document_value, page, rect_x1, rect_y1, rect_x2, rect_y2, file_name, input_bytes, input_sha256,
            is_job, created_at)
        SELECT u.id, u.caller, u.applicant, u.channel, u.request, 2, 1, u.serial, u.pending, u.token, u.lease, u.type, u.number, u.date, u.value, u.page,
            u.x1, u.y1, u.x2, u.y2, u.name, u.bytes, u.input, false, u.created
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bytea[], $6::text[], $7::uuid[], $8::uuid[], $9::timestamptz[], $10::text[],
            $11::text[], $12::date[], $13::bigint[], $14::integer[], $15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::text[], $20::bigint[],
            $21::bytea[], $22::timestamptz[])
            AS u(id, caller, applicant, channel, request, serial, pending, token, lease, type, number, date, value, page, x1, y1, x2, y2, name, bytes, input, created)
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """;

    // A stamp completes when its lease holder closes it and its serial is bound to its output (now or by an earlier
    // run); it records the registry's binding time, as the stepwise path does.
    private const string CompleteStampsSql = """
        UPDATE stamps t SET state = 3, output_sha256 = u.sha, output_bytes = u.bytes, stamped_at = s.stamped_at, completed_at = u.completed,
            file_expires_at = u.expires, lease_token = NULL, lease_until = NULL, rect_x1 = u.x1, rect_y1 = u.y1, rect_x2 = u.x2, rect_y2 = u.y2,
            placement_auto = u.auto
        FROM unnest($1::uuid[], $2::uuid[], $3::integer[], $4::bytea[], $5::bigint[], $6::timestamptz[], $7::timestamptz[], $8::text[],
                $9::double precision[], $10::double precision[], $11::double precision[], $12::double precision[], $13::text[])
            AS u(id, token, attempt, sha, bytes, completed, expires, serial, x1, y1, x2, y2, auto)
        JOIN serials s ON s.serial = u.serial
        WHERE t.id = u.id AND t.lease_token = u.token AND t.attempt = u.attempt AND t.state = 2 AND s.state = 2 AND s.document_sha256 = u.sha
        RETURNING t.id, t.stamped_at
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLedgerStore _ledger;
    private readonly IClock _clock;
    private readonly StepwiseStampJournal _stepwise;
    private readonly GroupCommitWriter<Entry, object?> _writer;
    private readonly GroupCommitWriter<Entry, object?> _serialWriter;
    private long _batches;
    private long _fallbacks;

    public PostgresStampJournal(NpgsqlDataSource dataSource, PostgresLedgerStore ledger, PostgresSerialStore serials, PostgresStampStore stamps, IClock clock,
        int maxEntriesPerBatch, TimeSpan gatherWindow)
    {
        _dataSource = dataSource;
        _ledger = ledger;
        _clock = clock;
        _stepwise = new StepwiseStampJournal(ledger, serials, stamps);
        _writer = new GroupCommitWriter<Entry, object?>("stamp journal", CommitAsync, _ => 1, maxEntriesPerBatch, gatherWindow);
        // Serial reservations lock no account, so they commit in batches of their own, alongside the ledger's: a stamp's
        // middle step does not queue behind the openings and closings.
        _serialWriter = new GroupCommitWriter<Entry, object?>("stamp journal (serials)", CommitAsync, _ => 1, maxEntriesPerBatch, gatherWindow);
    }

    /// <summary>Batches committed, and batches that failed and were answered step by step (for diagnosis and tests).</summary>
    internal (long Batches, long Fallbacks) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _fallbacks));

    public async Task<StampOpening> OpenAsync(StampRecord record, Transfer reservation, CancellationToken cancellationToken = default)
    {
        if (record.IsJob || record.State != StampState.Processing || record.Attempt != 1)
        {
            // Only a new request's first attempt opens in a batch; the rest is rare and goes step by step.
            return await _stepwise.OpenAsync(record, reservation, cancellationToken).ConfigureAwait(false);
        }

        // Times as the database keeps them, so the record answered is the record stored.
        record = record with { CreatedAt = TimeCodec.Truncate(record.CreatedAt), LeaseUntil = record.LeaseUntil is { } l ? TimeCodec.Truncate(l) : null };
        var answer = await _writer.SubmitAsync(new Entry.Open(record, reservation), cancellationToken).ConfigureAwait(false);
        return answer as StampOpening ?? await _stepwise.OpenAsync(record, reservation, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<SerialRecord>> ReserveSerialAsync(SerialReservation reservation, CancellationToken cancellationToken = default)
    {
        var answer = await _serialWriter.SubmitAsync(new Entry.Reserve(reservation), cancellationToken).ConfigureAwait(false);
        return answer is SerialRecord reserved ? reserved : await _stepwise.ReserveSerialAsync(reservation, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StampClosing> CloseAsync(StampClose close, CancellationToken cancellationToken = default)
    {
        var answer = await _writer.SubmitAsync(new Entry.Close(close), cancellationToken).ConfigureAwait(false);
        return answer as StampClosing ?? await _stepwise.CloseAsync(close, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One answer per entry: a <see cref="StampOpening"/>, a reserved <see cref="SerialRecord"/>, a <see cref="StampClosing"/>, or null for "do it step by step".</summary>
    private async Task<object?[]> CommitAsync(IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        Interlocked.Increment(ref _batches);
        await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            return await CommitOnAsync(conn, entries, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or LostRaceException && !ct.IsCancellationRequested)
        {
            // Nothing of this batch committed: every entry is decided again on its own.
            await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
            Interlocked.Increment(ref _fallbacks);
            return new object?[entries.Count];
        }
        catch
        {
            await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<object?[]> CommitOnAsync(NpgsqlConnection conn, IReadOnlyList<Entry> entries, CancellationToken ct)
    {
        var answers = new object?[entries.Count];
        var opens = Enumerable.Range(0, entries.Count).Where(i => entries[i] is Entry.Open).OrderBy(i => ((Entry.Open)entries[i]).Record.Id).ToList();
        var closes = Enumerable.Range(0, entries.Count).Where(i => entries[i] is Entry.Close).ToList();

        var reserves = Enumerable.Range(0, entries.Count).Where(i => entries[i] is Entry.Reserve).ToList();

        // 1. The new stamps (a stamp that exists already is answered step by step: that path reads it back) and the serials.
        var created = new HashSet<Guid>();
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        var reservedAt = TimeCodec.Truncate(_clock.UtcNow);
        var begun = false;
        if (opens.Count > 0 || reserves.Count > 0)
        {
            await using var batch = new NpgsqlBatch(conn);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            if (opens.Count > 0) batch.BatchCommands.Add(InsertStamps(opens.Select(i => ((Entry.Open)entries[i]).Record).ToList()));
            if (reserves.Count > 0) batch.BatchCommands.Add(PostgresSerialStore.ReserveMany(reserves.Select(i => ((Entry.Reserve)entries[i]).Value).ToList(), reservedAt));
            // Serial reservations alone (their own writer's batches) are the whole transaction: one round trip.
            if (opens.Count == 0 && closes.Count == 0) batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            begun = true;
            await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (opens.Count > 0)
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false)) created.Add(r.GetGuid(0));
                await r.NextResultAsync(ct).ConfigureAwait(false);
            }

            if (reserves.Count > 0)
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false)) reserved.Add(r.GetString(0));
            }
        }

        foreach (var i in reserves)
        {
            var v = ((Entry.Reserve)entries[i]).Value;
            if (reserved.Contains(v.Serial.Value))
            {
                answers[i] = new SerialRecord(v.Serial, SerialState.Reserved, v.PendingTransferId, v.ChannelId, v.OwnerId, reservedAt, null, null, null, null);
            }
        }

        if (opens.Count == 0 && closes.Count == 0) return answers;
        opens.RemoveAll(i => !created.Contains(IdCodec.ToGuid(((Entry.Open)entries[i]).Record.Id)));

        // 2. The ledger: the new stamps' reservations and the closings' posts, in one batch of its flow (no COMMIT yet).
        var requests = new List<IReadOnlyList<Transfer>>(opens.Count + closes.Count);
        requests.AddRange(opens.Select(i => (IReadOnlyList<Transfer>)[((Entry.Open)entries[i]).Reservation]));
        requests.AddRange(closes.Select(i => (IReadOnlyList<Transfer>)[((Entry.Close)entries[i]).Value.Post]));
        TransferResult[][] results = [];
        if (requests.Count > 0)
        {
            var outcome = await _ledger.ApplyWithinAsync(conn, requests, _ => [], ct, begun).ConfigureAwait(false);
            results = outcome.Results;
            begun = true;
        }

        // 3. Bindings and completions, then COMMIT, in one round trip.
        var closeResults = closes.Select((_, k) => results[opens.Count + k][0]).ToList();
        var binding = closes.Where((_, k) => StepwiseStampJournal.IsPosted(closeResults[k])).ToList();
        var completedAt = new Dictionary<Guid, DateTimeOffset>();
        await using (var batch = new NpgsqlBatch(conn))
        {
            if (!begun) batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            if (binding.Count > 0)
            {
                var closing = binding.Select(i => ((Entry.Close)entries[i]).Value).ToList();
                batch.BatchCommands.Add(PostgresSerialStore.BindMany(closing.Select(c => (c.Stamp.Serial, c.Binding)).ToList()));
                batch.BatchCommands.Add(CompleteStamps(closing.OrderBy(c => c.Stamp.Id).ToList()));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (binding.Count > 0)
            {
                // Both statements return rows, so their result sets come in order; the completions are the second.
                await r.NextResultAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false)) completedAt[r.GetGuid(0)] = new DateTimeOffset(r.GetDateTime(1), TimeSpan.Zero);
            }
        }

        for (var k = 0; k < opens.Count; k++)
        {
            var open = (Entry.Open)entries[opens[k]];
            var result = results[k][0];
            answers[opens[k]] = new StampOpening(open.Record, true, result);
        }

        for (var k = 0; k < closes.Count; k++)
        {
            var close = ((Entry.Close)entries[closes[k]]).Value;
            answers[closes[k]] = completedAt.TryGetValue(IdCodec.ToGuid(close.Stamp.Id), out var at)
                ? new StampClosing(closeResults[k], true, at)
                : new StampClosing(closeResults[k], false, null);
        }

        return answers;
    }

    private static NpgsqlBatchCommand InsertStamps(IReadOnlyList<StampRecord> rows)
    {
        var cmd = new NpgsqlBatchCommand(InsertStampsSql);
        var p = cmd.Parameters;
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.Id)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.CallerId)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.ApplicantId)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.ChannelId)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(rows.Select(s => s.RequestSha256).ToArray(), NpgsqlDbType.Bytea));
        p.Add(PostgresRows.Array(rows.Select(s => s.Serial.Value).ToArray(), NpgsqlDbType.Text));
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.PendingTransferId)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(PostgresRows.Ids(rows.Select(s => s.LeaseToken)), NpgsqlDbType.Uuid));
        p.Add(PostgresRows.Array(rows.Select(s => s.LeaseUntil!.Value.UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
        p.Add(PostgresRows.Array(rows.Select(s => s.Document.TypeCode).ToArray(), NpgsqlDbType.Text));
        p.Add(PostgresRows.Array(rows.Select(s => s.Document.Number).ToArray(), NpgsqlDbType.Text));
        p.Add(PostgresRows.Array(rows.Select(s => s.Document.Date).ToArray(), NpgsqlDbType.Date));
        p.Add(PostgresRows.Array(rows.Select(s => s.Document.Value).ToArray(), NpgsqlDbType.Bigint));
        p.Add(PostgresRows.Array(rows.Select(s => s.Placement.Page).ToArray(), NpgsqlDbType.Integer));
        p.Add(PostgresRows.Array(rows.Select(s => s.Placement.X1).ToArray(), NpgsqlDbType.Double));
        p.Add(PostgresRows.Array(rows.Select(s => s.Placement.Y1).ToArray(), NpgsqlDbType.Double));
        p.Add(PostgresRows.Array(rows.Select(s => s.Placement.X2).ToArray(), NpgsqlDbType.Double));
        p.Add(PostgresRows.Array(rows.Select(s => s.Placement.Y2).ToArray(), NpgsqlDbType.Double));
        p.Add(PostgresRows.Array(rows.Select(s => s.FileName).ToArray(), NpgsqlDbType.Text));
        p.Add(PostgresRows.Array(rows.Select(s => s.InputBytes).ToArray(), NpgsqlDbType.Bigint));
        p.Add(PostgresRows.Array(rows.Select(s => s.InputSha256).ToArray(), NpgsqlDbType.Bytea));
        p.Add(PostgresRows.Array(rows.Select(s => s.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
        return cmd;
    }

    private static NpgsqlBatchCommand CompleteStamps(IReadOnlyList<StampClose> closes)
    {
        var cmd = new NpgsqlBatchCommand(CompleteStampsSql);
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(closes.Select(c => c.Stamp.Id)), NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(closes.Select(c => c.LeaseToken)), NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => c.Stamp.Attempt).ToArray(), NpgsqlDbType.Integer));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => c.Binding.DocumentSha256).ToArray(), NpgsqlDbType.Bytea));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => c.Completion.OutputBytes).ToArray(), NpgsqlDbType.Bigint));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => TimeCodec.Truncate(c.Completion.CompletedAt).UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => TimeCodec.Truncate(c.Completion.FileExpiresAt).UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(PostgresRows.Array(closes.Select(c => c.Stamp.Serial.Value).ToArray(), NpgsqlDbType.Text));
        // The placement as it ends: the rectangle an automatic placement chose, or the one the stamp was asked for.
        var placed = closes.Select(c => c.Completion.Placed ?? c.Stamp.Placement).ToArray();
        cmd.Parameters.Add(PostgresRows.Array(placed.Select(p => p.X1).ToArray(), NpgsqlDbType.Double));
        cmd.Parameters.Add(PostgresRows.Array(placed.Select(p => p.Y1).ToArray(), NpgsqlDbType.Double));
        cmd.Parameters.Add(PostgresRows.Array(placed.Select(p => p.X2).ToArray(), NpgsqlDbType.Double));
        cmd.Parameters.Add(PostgresRows.Array(placed.Select(p => p.Y2).ToArray(), NpgsqlDbType.Double));
        cmd.Parameters.Add(PostgresRows.Array(placed.Select(p => p.Auto).ToArray(), NpgsqlDbType.Text));
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        await _serialWriter.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private abstract record Entry
    {
        public sealed record Open(StampRecord Record, Transfer Reservation) : Entry;

        public sealed record Reserve(SerialReservation Value) : Entry;

        public sealed record Close(StampClose Value) : Entry;
    }
}
