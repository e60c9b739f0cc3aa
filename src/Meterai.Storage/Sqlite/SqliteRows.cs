using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>Column lists and row mapping of the ledger tables on SQLite.</summary>
internal static class SqliteRows
{
    public const string AccountColumns = LedgerColumns.Account;

    public const string TransferColumns = LedgerColumns.Transfer;

    public static Account Account(SqliteDataReader r) => new(
        IdCodec.FromBytes((byte[])r[0]),
        (OwnerKind)r.GetInt16(1),
        IdCodec.FromBytes((byte[])r[2]),
        r.GetInt32(3),
        (AccountFlags)r.GetInt32(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        TimeCodec.FromMicros(r.GetInt64(9)));

    public static TransferRecord Transfer(SqliteDataReader r) => new(
        new Transfer(
            IdCodec.FromBytes((byte[])r[0]),
            IdCodec.FromBytes((byte[])r[1]),
            IdCodec.FromBytes((byte[])r[2]),
            r.GetInt64(3),
            r.GetInt32(6),
            (TransferFlags)r.GetInt32(7),
            r.IsDBNull(4) ? UInt128.Zero : IdCodec.FromBytes((byte[])r[4]),
            (uint)r.GetInt64(5)),
        TimeCodec.FromMicros(r.GetInt64(8)),
        r.IsDBNull(9) ? null : TimeCodec.FromMicros(r.GetInt64(9)),
        (PendingState)r.GetInt16(10));

    /// <summary>Runs one prepared single-id query per id (in-process, so a round trip costs microseconds).</summary>
    public static async Task<List<T>> ByIdsAsync<T>(
        SqliteConnection conn, SqliteTransaction? tx, string sql, IReadOnlyList<UInt128> ids, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        var list = new List<T>(ids.Count);
        if (ids.Count == 0) return list;
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        var p = cmd.Parameters.Add("$id", SqliteType.Blob);
        foreach (var id in ids)
        {
            p.Value = IdCodec.ToBytes(id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        }

        return list;
    }
}
