using Meterai.TestSupport;
using Npgsql;

namespace Meterai.Storage.Tests;

public class PostgresClusterTests
{
    [Fact]
    public async Task Postgres_throwaway_cluster_answers_with_durable_settings_visible()
    {
        await using var db = await PostgresDatabase.CreateAsync("cluster");
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("select current_database()", conn);
        Assert.Equal(db.Name, (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
