using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Storage.Ledger;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>The serial registry on SQLite. Each write decides with <see cref="SerialRules"/> under the file's write lock.</summary>
internal sealed class SqliteSerialStore(SqliteConnections db, IClock clock) : ISerialStore
{
    private const string Columns =
        "serial, state, pending_transfer_id, channel_id, owner_id, reserved_at, document_sha256, page, stamped_at, released_at";

    public Task<Result<SerialRecord>> ReserveAsync(SerialReservation reservation, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<SerialRecord>>(async (conn, tx) =>
        {
            var existing = await GetAsync(conn, tx, reservation.Serial, cancellationToken).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Reserve(existing, reservation);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            var pending = await SqliteRows.ByIdsAsync(conn, tx, $"SELECT {SqliteRows.TransferColumns} FROM transfers WHERE id = $id",
                [reservation.PendingTransferId], SqliteRows.Transfer, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0 || !pending[0].Transfer.Flags.Has(TransferFlags.Pending))
            {
                return new Error(SerialRegistryErrors.PendingTransferNotFound, "no pending transfer with this id");
            }

            if (pending[0].PendingState != PendingState.Pending)
            {
                return new Error(SerialRegistryErrors.PendingTransferNotPending, "the pending transfer is already posted, voided or expired");
            }

            var record = new SerialRecord(reservation.Serial, SerialState.Reserved, reservation.PendingTransferId, reservation.ChannelId,
                reservation.OwnerId, TimeCodec.Truncate(clock.UtcNow), null, null, null, null);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO serials (serial, state, pending_transfer_id, channel_id, owner_id, reserved_at) VALUES ($s, 1, $p, $c, $o, $t)";
            cmd.Parameters.AddWithValue("$s", record.Serial.Value);
            cmd.Parameters.AddWithValue("$p", IdCodec.ToBytes(record.PendingTransferId));
            cmd.Parameters.AddWithValue("$c", IdCodec.ToBytes(record.ChannelId));
            cmd.Parameters.AddWithValue("$o", IdCodec.ToBytes(record.OwnerId));
            cmd.Parameters.AddWithValue("$t", TimeCodec.ToMicros(record.ReservedAt));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return record;
        }, cancellationToken);

    public Task<Result<SerialRecord>> StampAsync(SerialNumber serial, SerialStamp stamp, CancellationToken cancellationToken = default)
    {
        if (SerialRules.ValidateStamp(stamp) is { } invalid) return Task.FromResult(Result<SerialRecord>.Fail(invalid));
        return db.WriteAsync<Result<SerialRecord>>(async (conn, tx) =>
        {
            var existing = await GetAsync(conn, tx, serial, cancellationToken).ConfigureAwait(false);
            var holder = await FindByDocumentAsync(conn, tx, stamp.DocumentSha256, cancellationToken).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Stamp(existing, holder?.Serial, stamp);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            var stampedAt = TimeCodec.Truncate(stamp.StampedAt);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE serials SET state = 2, document_sha256 = $d, page = $p, stamped_at = $t WHERE serial = $s AND state = 1";
            cmd.Parameters.AddWithValue("$d", stamp.DocumentSha256);
            cmd.Parameters.AddWithValue("$p", stamp.Page);
            cmd.Parameters.AddWithValue("$t", TimeCodec.ToMicros(stampedAt));
            cmd.Parameters.AddWithValue("$s", serial.Value);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1) throw new LostRaceException($"serial {serial} changed under the write lock");
            return existing! with { State = SerialState.Stamped, DocumentSha256 = stamp.DocumentSha256.ToArray(), Page = stamp.Page, StampedAt = stampedAt };
        }, cancellationToken);
    }

    public Task<Result<SerialRecord>> ReleaseAsync(SerialNumber serial, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<SerialRecord>>(async (conn, tx) =>
        {
            var existing = await GetAsync(conn, tx, serial, cancellationToken).ConfigureAwait(false);
            var (verdict, error) = SerialRules.Release(existing);
            if (verdict == SerialRules.Verdict.Refuse) return error!;
            if (verdict == SerialRules.Verdict.Repeat) return existing!;

            var releasedAt = TimeCodec.Truncate(clock.UtcNow);
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE serials SET state = 3, released_at = $t WHERE serial = $s AND state = 1";
            cmd.Parameters.AddWithValue("$t", TimeCodec.ToMicros(releasedAt));
            cmd.Parameters.AddWithValue("$s", serial.Value);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1) throw new LostRaceException($"serial {serial} changed under the write lock");
            return existing! with { State = SerialState.Released, ReleasedAt = releasedAt };
        }, cancellationToken);

    public async Task<SerialRecord?> GetAsync(SerialNumber serial, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(conn, null, serial, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SerialRecord?> FindByDocumentAsync(byte[] documentSha256, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindByDocumentAsync(conn, null, documentSha256, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = conn.BeginTransaction(deferred: true);
        return await LedgerAuditQueries.SerialsAsync((sql, ct) => SqliteQueries.RowAsync(conn, tx, sql, ct), cancellationToken).ConfigureAwait(false);
    }

    private static Task<SerialRecord?> GetAsync(SqliteConnection conn, SqliteTransaction? tx, SerialNumber serial, CancellationToken ct) =>
        OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE serial = $v", serial.Value, ct);

    private static Task<SerialRecord?> FindByDocumentAsync(SqliteConnection conn, SqliteTransaction? tx, byte[] sha256, CancellationToken ct) =>
        OneAsync(conn, tx, $"SELECT {Columns} FROM serials WHERE document_sha256 = $v", sha256, ct);

    private static async Task<SerialRecord?> OneAsync(SqliteConnection conn, SqliteTransaction? tx, string sql, object value, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$v", value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return new SerialRecord(
            SerialNumber.Parse(r.GetString(0)).Value,
            (SerialState)r.GetInt16(1),
            IdCodec.FromBytes((byte[])r[2]),
            IdCodec.FromBytes((byte[])r[3]),
            IdCodec.FromBytes((byte[])r[4]),
            TimeCodec.FromMicros(r.GetInt64(5)),
            r.IsDBNull(6) ? null : (byte[])r[6],
            r.IsDBNull(7) ? null : r.GetInt32(7),
            r.IsDBNull(8) ? null : TimeCodec.FromMicros(r.GetInt64(8)),
            r.IsDBNull(9) ? null : TimeCodec.FromMicros(r.GetInt64(9)));
    }
}
