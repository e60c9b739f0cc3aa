using Meterai.Core.Common;
using Meterai.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Meterai.TestSupport;

/// <summary>
/// One database per test class, on either backend, for contract tests that run the same assertions on both: derive
/// <c>SqliteXTests</c> / <c>PostgresXTests</c> from one abstract class that takes a <see cref="DatabaseBackend"/>, and
/// make each an <c>IClassFixture</c> of <see cref="SqliteBackend"/> / <see cref="PostgresBackend"/>. Opening twice
/// gives two independent instances on the same data: two "nodes".
/// </summary>
public abstract class DatabaseBackend : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Options for this class's database (creates it on first use; skips the test where PostgreSQL is absent).</summary>
    public abstract Task<DatabaseOptions> OptionsAsync();

    public async Task<MeteraiDatabase> OpenAsync(IClock? clock = null, int? maxTransfersPerBatch = null)
    {
        var options = await OptionsAsync();
        options = options with { Clock = clock ?? SystemClock.Instance };
        if (maxTransfersPerBatch is { } max) options = options with { MaxTransfersPerBatch = max };
        return await MeteraiDatabase.OpenAsync(options, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs raw SQL (both dialects understand it) and returns the rows affected: for tests that try to break the data.</summary>
    public abstract Task<int> ExecuteRawAsync(string sql);

    /// <summary>Runs a raw query (both dialects understand it) and returns its first column of the first row as a number: for tests that count rows.</summary>
    public abstract Task<long> ScalarAsync(string sql);

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteBackend : DatabaseBackend
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meterai-test-" + Guid.NewGuid().ToString("N"));

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string DatabaseFile => Path.Combine(_directory, DatabaseOptions.SqliteFileName);

    public override Task<DatabaseOptions> OptionsAsync() => Task.FromResult(DatabaseOptions.Sqlite(_directory));

    public override async Task<int> ExecuteRawAsync(string sql)
    {
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteNonQueryAsync();
    }

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresBackend : DatabaseBackend
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresDatabase? _database;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async Task<DatabaseOptions> OptionsAsync()
    {
        TestEnvironment.RequirePostgres();
        await _gate.WaitAsync();
        try
        {
            _database ??= await PostgresDatabase.CreateAsync("meterai");
            return DatabaseOptions.Postgres(_database.ConnectionString);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task<int> ExecuteRawAsync(string sql)
    {
        var options = await OptionsAsync();
        await using var conn = new NpgsqlConnection(options.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }

    public override async Task<long> ScalarAsync(string sql)
    {
        var options = await OptionsAsync();
        await using var conn = new NpgsqlConnection(options.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _gate.Dispose();
    }
}
