using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>Column lists, row mapping and array parameters of the ledger tables on PostgreSQL.</summary>
internal static class PostgresRows
{
    public const string AccountColumns = LedgerColumns.Account;

    public const string TransferColumns = LedgerColumns.Transfer;

    public static Account Account(NpgsqlDataReader r) => new(
        IdCodec.FromGuid(r.GetGuid(0)),
        (OwnerKind)r.GetInt16(1),
        IdCodec.FromGuid(r.GetGuid(2)),
        r.GetInt32(3),
        (AccountFlags)r.GetInt32(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        r.GetFieldValue<DateTimeOffset>(9));

    public static TransferRecord Transfer(NpgsqlDataReader r) => new(
        new Transfer(
            IdCodec.FromGuid(r.GetGuid(0)),
            IdCodec.FromGuid(r.GetGuid(1)),
            IdCodec.FromGuid(r.GetGuid(2)),
            r.GetInt64(3),
            r.GetInt32(6),
            (TransferFlags)r.GetInt32(7),
            r.IsDBNull(4) ? UInt128.Zero : IdCodec.FromGuid(r.GetGuid(4)),
            (uint)r.GetInt64(5)),
        r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        (PendingState)r.GetInt16(10));

    public static Guid[] Ids(IEnumerable<UInt128> ids) => ids.Select(IdCodec.ToGuid).ToArray();

    public static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlDataReader r, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        return list;
    }
}
