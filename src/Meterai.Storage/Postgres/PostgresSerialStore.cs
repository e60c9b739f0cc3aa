using System.Data;
using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>
/// The serial registry on PostgreSQL. Each write locks the serial's row (FOR UPDATE), decides with
/// <see cref="SerialRules"/>, and writes conditionally; a race the lock cannot cover (two serials stamping one
/// document, two nodes reserving one new serial) ends on a unique index and is decided again.
/// </summary>
internal sealed class PostgresSerialStore(NpgsqlDataSource dataSource, IClock clock) : ISerialStore
{
    private const string Columns =
        "serial, state, pending_transfer_id, channel_id, owner_id, reserved_at, document_sha256, page, stamped_at, released_at";

    // The fast paths, one statement for any number of serials (the stamp journal batches them): new serials for
    // transfers that are pending; reserved serials of the stamp's channel bound to documents no serial holds yet (the
    // unique index says so). Anything else writes nothing and is decided by the full paths, with every rule.
    private const string ReserveManySql = """
        INSERT INTO serials (serial, state, pending_transfer_id, channel_id, owner_id, reserved_at)
        SELECT u.serial, 1, u.pending, u.channel, u.owner, $5 FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[]) AS u(serial, pending, channel, owner)
        WHERE EXISTS (SELECT 1 FROM transfers t WHERE t.id = u.pending AND t.flags & 2 <> 0 AND t.pending_state = 1 FOR SHARE)
        ON CONFLICT (serial) DO NOTHING
        RETURNING serial
        """;

    private const string BindManySql = """
        UPDATE serials s SET state = 2, document_sha256 = u.sha, page = u.page, stamped_at = u.at
        FROM unnest($1::text[], $2::bytea[], $3::integer[], $4::timestamptz[], $5::uuid[]) AS u(serial, sha, page, at, channel)
        WHERE s.serial = u.serial AND s.state = 1 AND s.channel_id = u.channel
        RETURNING s.serial, s.state, s.pending_transfer_id, s.channel_id, s.owner_id, s.reserved_at, s.document_sha256, s.page, s.stamped_at, s.released_at
        """;

    /// <summary>The reserve fast path for <paramref name="rows"/> (any order; locked in serial order): returns the serials it reserved.</summary>
    internal static NpgsqlBatchCommand ReserveMany(IReadOnlyList<SerialReservation> rows, DateTimeOffset reservedAt)
    {
        var ordered = rows.OrderBy(r => r.Serial.Value, StringComparer.Ordinal).ToList();
        var cmd = new NpgsqlBatchCommand(ReserveManySql);
        cmd.Parameters.Add(PostgresRows.Array(ordered.Select(r => r.Serial.Value).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ordered.Select(r => r.PendingTransferId)), NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ordered.Select(r => r.ChannelId)), NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ordered.Select(r => r.OwnerId)), NpgsqlDbType.Uuid));
        cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = reservedAt.UtcDateTime });
        return cmd;
    }

    /// <summary>The bind fast path for <paramref name="rows"/> (locked in serial order): returns the records it bound.</summary>
    internal static NpgsqlBatchCommand BindMany(IReadOnlyList<(SerialNumber Serial, SerialStamp Stamp)> rows)
    {
        var ordered = rows.OrderBy(r => r.Serial.Value, StringComparer.Ordinal).ToList();
        var cmd = new NpgsqlBatchCommand(BindManySql);
        cmd.Parameters.Add(PostgresRows.Array(ordered.Select(r => r.Serial.Value).ToArray(), NpgsqlDbType.Text));
        cmd.Parameters.Add(PostgresRows.Array(ordered.Select(r => r.Stamp.DocumentSha256).ToArray(), NpgsqlDbType.Bytea));
        cmd.Parameters.Add(PostgresRows.Array(ordered.Select(r => r.Stamp.Page).ToArray(), NpgsqlDbType.Integer));
        cmd.Parameters.Add(PostgresRows.Array(ordered.Select(r => TimeCodec.Truncate(r.Stamp.StampedAt).UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ordered.Select(r => r.Stamp.ChannelId)), NpgsqlDbType.Uuid));
        return cmd;
    }

    public async Task<Result<SerialRecord>> ReserveAsync(SerialReservation reservation, CancellationToken cancellationToken = default)
    {
        var reservedAt = TimeCodec.Truncate(clock.UtcNow);
        await using (var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var fast = new NpgsqlBatch(conn) { BatchCommands = { ReserveMany([reservation], reservedAt) } };
            await using var r = await fast.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new SerialRecord(reservation.Serial, SerialState.Reserved, reservation.PendingTransferId, reservation.ChannelId, reservation.OwnerId,
                    reservedAt, null, null, null, null);
            }
        }

        return await ReserveFullAsync(reservation, cancellationToken).ConfigureAwait(false);
    }

    private Task<Result<SerialRecord>> ReserveFullAsync(SerialReservation reservation, CancellationToken cancellationToken) =>
        InTransactionAsync(async (conn, tx, ct) =>
        {
            var existing = await OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE serial = $1 FOR UPDATE", reservation.Serial.Value, ct).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Reserve(existing, reservation);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            short? state = null;
            await using (var pending = new NpgsqlCommand("SELECT pending_state FROM transfers WHERE id = $1 AND flags & 2 <> 0 FOR SHARE", conn, tx))
            {
                pending.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(reservation.PendingTransferId) });
                if (await pending.ExecuteScalarAsync(ct).ConfigureAwait(false) is short s) state = s;
            }

            if (state is null) return new Error(SerialRegistryErrors.PendingTransferNotFound, "no pending transfer with this id");
            if (state != (short)PendingState.Pending) return new Error(SerialRegistryErrors.PendingTransferNotPending, "the pending transfer is already posted, voided or expired");

            var record = new SerialRecord(reservation.Serial, SerialState.Reserved, reservation.PendingTransferId, reservation.ChannelId,
                reservation.OwnerId, TimeCodec.Truncate(clock.UtcNow), null, null, null, null);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO serials (serial, state, pending_transfer_id, channel_id, owner_id, reserved_at) VALUES ($1, 1, $2, $3, $4, $5)", conn, tx);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Serial.Value });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(record.PendingTransferId) });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(record.ChannelId) });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(record.OwnerId) });
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = record.ReservedAt.UtcDateTime });
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return record;
        }, cancellationToken);

    public async Task<Result<SerialRecord>> StampAsync(SerialNumber serial, SerialStamp stamp, CancellationToken cancellationToken = default)
    {
        if (SerialRules.ValidateStamp(stamp) is { } invalid) return invalid;
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var fast = new NpgsqlBatch(conn) { BatchCommands = { BindMany([(serial, stamp)]) } };
            await using var r = await fast.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) return Read(r);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The document is already bound to another serial: the full path reports it.
        }

        return await StampFullAsync(serial, stamp, cancellationToken).ConfigureAwait(false);
    }

    private Task<Result<SerialRecord>> StampFullAsync(SerialNumber serial, SerialStamp stamp, CancellationToken cancellationToken)
    {
        return InTransactionAsync(async (conn, tx, ct) =>
        {
            var existing = await OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE serial = $1 FOR UPDATE", serial.Value, ct).ConfigureAwait(false);
            var holder = await OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE document_sha256 = $1", stamp.DocumentSha256, ct).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Stamp(existing, holder?.Serial, stamp);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            var stampedAt = TimeCodec.Truncate(stamp.StampedAt);
            await using var update = new NpgsqlCommand(
                "UPDATE serials SET state = 2, document_sha256 = $1, page = $2, stamped_at = $3 WHERE serial = $4 AND state = 1", conn, tx);
            update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = stamp.DocumentSha256 });
            update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = stamp.Page });
            update.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = stampedAt.UtcDateTime });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serial.Value });
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1) throw new LostRaceException($"serial {serial} changed while locked");
            return existing! with { State = SerialState.Stamped, DocumentSha256 = stamp.DocumentSha256.ToArray(), Page = stamp.Page, StampedAt = stampedAt };
        }, cancellationToken);
    }

    public Task<Result<SerialRecord>> ReleaseAsync(SerialNumber serial, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (conn, tx, ct) =>
        {
            var existing = await OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE serial = $1 FOR UPDATE", serial.Value, ct).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Release(existing);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            var releasedAt = TimeCodec.Truncate(clock.UtcNow);
            await using var update = new NpgsqlCommand("UPDATE serials SET state = 3, released_at = $1 WHERE serial = $2 AND state = 1", conn, tx);
            update.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = releasedAt.UtcDateTime });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serial.Value });
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1) throw new LostRaceException($"serial {serial} changed while locked");
            return existing! with { State = SerialState.Released, ReleasedAt = releasedAt };
        }, cancellationToken);

    public async Task<SerialRecord?> GetAsync(SerialNumber serial, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await OneAsync(conn, null, $"SELECT {Columns} FROM serials WHERE serial = $1", serial.Value, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SerialRecord?> FindByDocumentAsync(byte[] documentSha256, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await OneAsync(conn, null, $"SELECT {Columns} FROM serials WHERE document_sha256 = $1", documentSha256, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await LedgerAuditQueries.SerialsAsync((sql, ct) => PostgresQueries.RowAsync(conn, tx, sql, ct), cancellationToken).ConfigureAwait(false);
    }

    private Task<Result<SerialRecord>> InTransactionAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<Result<SerialRecord>>> work, CancellationToken cancellationToken) =>
        PostgresRetry.RunAsync(async ct =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            var result = await work(conn, tx, ct).ConfigureAwait(false);
            // A refusal wrote nothing; committing it is harmless and keeps one path.
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private static async Task<SerialRecord?> OneAsync<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, T value, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return Read(r);
    }

    private static SerialRecord Read(NpgsqlDataReader r) =>
        new(
            SerialNumber.Parse(r.GetString(0)).Value,
            (SerialState)r.GetInt16(1),
            IdCodec.FromGuid(r.GetGuid(2)),
            IdCodec.FromGuid(r.GetGuid(3)),
            IdCodec.FromGuid(r.GetGuid(4)),
            r.GetFieldValue<DateTimeOffset>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<byte[]>(6),
            r.IsDBNull(7) ? null : r.GetInt32(7),
            r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));
}
