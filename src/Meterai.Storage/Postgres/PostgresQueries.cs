using Npgsql;

namespace Meterai.Storage.Postgres;

internal static class PostgresQueries
{
    /// <summary>The first row of <paramref name="sql"/> as integers.</summary>
    public static async Task<long[]> RowAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException("audit query returned no row");
        var row = new long[r.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        return row;
    }

    /// <summary>The first column of every row of <paramref name="sql"/> as text.</summary>
    public static async Task<IReadOnlyList<string>> TextsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var texts = new List<string>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) texts.Add(r.GetString(0));
        return texts;
    }
}
