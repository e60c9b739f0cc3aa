using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal static class SqliteQueries
{
    /// <summary>The first row of <paramref name="sql"/> as integers.</summary>
    public static async Task<long[]> RowAsync(SqliteConnection conn, SqliteTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException("audit query returned no row");
        var row = new long[r.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? 0 : r.GetInt64(i);
        return row;
    }
}
