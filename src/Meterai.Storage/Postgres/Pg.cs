using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>Typed parameters and one-statement helpers for the service's stores (positional $1, $2, … parameters).</summary>
internal static class Pg
{
    public static NpgsqlParameter Id(UInt128 id) => new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(id) };

    public static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } t ? TimeCodec.Truncate(t).UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter Bytes(byte[]? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea };

    public static NpgsqlParameter Int(int value) => new NpgsqlParameter<int> { TypedValue = value };

    public static NpgsqlParameter Long(long value) => new NpgsqlParameter<long> { TypedValue = value };

    public static NpgsqlParameter Short(short value) => new NpgsqlParameter<short> { TypedValue = value };

    public static NpgsqlParameter NullableLong(long? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    public static NpgsqlParameter NullableShort(short? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint };

    public static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var p in parameters) cmd.Parameters.Add(p);
        return cmd;
    }

    public static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource ds, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var conn = await ds.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await QueryAsync(conn, null, sql, map, ct, parameters).ConfigureAwait(false);
    }

    public static async Task<List<T>> QueryAsync<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        return list;
    }

    public static async Task<T?> FirstAsync<T>(NpgsqlDataSource ds, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] parameters)
        where T : class =>
        (await QueryAsync(ds, sql, map, ct, parameters).ConfigureAwait(false)).FirstOrDefault();

    public static async Task<T?> FirstAsync<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] parameters)
        where T : class =>
        (await QueryAsync(conn, tx, sql, map, ct, parameters).ConfigureAwait(false)).FirstOrDefault();

    public static async Task<int> ExecuteAsync(NpgsqlDataSource ds, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var conn = await ds.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(conn, null, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A transaction that commits when <paramref name="work"/> returns, rerun from scratch when it loses a race.</summary>
    public static Task<T> InTransactionAsync<T>(NpgsqlDataSource ds, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken ct) =>
        PostgresRetry.RunAsync(async c =>
        {
            await using var conn = await ds.OpenConnectionAsync(c).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(c).ConfigureAwait(false);
            var result = await work(conn, tx, c).ConfigureAwait(false);
            await tx.CommitAsync(c).ConfigureAwait(false);
            return result;
        }, ct);

    public static UInt128 GetId(this NpgsqlDataReader r, int i) => IdCodec.FromGuid(r.GetGuid(i));

    public static DateTimeOffset GetTime(this NpgsqlDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    public static string? GetStringOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static byte[]? GetBytesOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<byte[]>(i);

    public static bool IsUniqueViolation(this PostgresException e, string constraint) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == constraint;
}
