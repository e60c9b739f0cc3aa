using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>Parameter values and one-statement helpers for the service's stores on SQLite (named $parameters).</summary>
internal static class Sq
{
    public static object Id(UInt128 id) => IdCodec.ToBytes(id);

    public static object Time(DateTimeOffset? value) => value is { } t ? TimeCodec.ToMicros(TimeCodec.Truncate(t)) : DBNull.Value;

    public static object Value(object? value) => value ?? DBNull.Value;

    public static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public static async Task<List<T>> QueryAsync<T>(SqliteConnection conn, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(r));
        return list;
    }

    public static async Task<List<T>> QueryAsync<T>(SqliteConnections db, string sql, Func<SqliteDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var conn = await db.OpenAsync(ct).ConfigureAwait(false);
        return await QueryAsync(conn, null, sql, map, ct, parameters).ConfigureAwait(false);
    }

    public static async Task<T?> FirstAsync<T>(SqliteConnections db, string sql, Func<SqliteDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class =>
        (await QueryAsync(db, sql, map, ct, parameters).ConfigureAwait(false)).FirstOrDefault();

    public static async Task<T?> FirstAsync<T>(SqliteConnection conn, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class =>
        (await QueryAsync(conn, tx, sql, map, ct, parameters).ConfigureAwait(false)).FirstOrDefault();

    public static async Task<int> ExecuteAsync(SqliteConnection conn, SqliteTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One statement in its own write transaction (the process's single writer).</summary>
    public static Task<int> ExecuteAsync(SqliteConnections db, string sql, CancellationToken ct, params (string, object?)[] parameters) =>
        db.WriteAsync((conn, tx) => ExecuteAsync(conn, tx, sql, ct, parameters), ct);

    public static UInt128 GetId(this SqliteDataReader r, int i) => IdCodec.FromBytes((byte[])r[i]);

    public static DateTimeOffset GetTime(this SqliteDataReader r, int i) => TimeCodec.FromMicros(r.GetInt64(i));

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : TimeCodec.FromMicros(r.GetInt64(i));

    public static string? GetStringOrNull(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static byte[]? GetBytesOrNull(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : (byte[])r[i];
}
