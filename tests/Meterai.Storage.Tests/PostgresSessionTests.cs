using Meterai.Storage.Postgres;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests;

/// <summary>The session settings every PostgreSQL connection of the stores gets.</summary>
public sealed class PostgresSessionTests(PostgresBackend backend) : IClassFixture<PostgresBackend>
{
    private static async Task<string?> ShowAsync(MeteraiDatabase db, string setting)
    {
        await using var cmd = ((PostgresMeteraiDatabase)db).DataSource.CreateCommand($"SHOW {setting}");
        return (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Prepared_statements_are_planned_for_each_execution_unless_the_operator_says_otherwise()
    {
        await using (var db = await backend.OpenAsync())
        {
            // A generic plan made while a table was small would keep scanning it whole once it is big.
            Assert.Equal("force_custom_plan", await ShowAsync(db, "plan_cache_mode"));
        }

        var options = await backend.OptionsAsync();
        await using var own = await MeteraiDatabase.OpenAsync(options with { ConnectionString = options.ConnectionString + ";Options=-c plan_cache_mode=auto" },
            TestContext.Current.CancellationToken);
        Assert.Equal("auto", await ShowAsync(own, "plan_cache_mode"));
    }
}
