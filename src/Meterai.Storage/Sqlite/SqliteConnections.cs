using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>
/// Connections to one SQLite file: every connection gets the same pragmas (WAL, durable commits, busy timeout,
/// foreign keys). Readers come from Microsoft.Data.Sqlite's pool; writes go through <see cref="WriteAsync{T}"/>, which
/// keeps one writer per process (SQLite allows one writer per file anyway; queuing in-process is cheaper than
/// spinning on SQLITE_BUSY) and runs each write in a BEGIN IMMEDIATE transaction, so that writers in other processes
/// on the same file wait on the file lock instead of failing half-way.
/// </summary>
internal sealed class SqliteConnections : IDisposable
{
    private const int BusyTimeoutMs = 30_000;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteConnections(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = BusyTimeoutMs / 1000 };
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string DataSource { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            // synchronous=FULL: in WAL mode every commit is fsynced before it is acknowledged (durable, like PostgreSQL
            // with synchronous_commit on). busy_timeout: wait for another process's write instead of failing.
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a BEGIN IMMEDIATE transaction; commits when it returns, rolls back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var conn = await OpenAsync(ct).ConfigureAwait(false);
            await using var tx = conn.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
            var result = await work(conn, tx).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void ClearPool()
    {
        using var conn = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(conn);
    }

    public void Dispose() => _writeLock.Dispose();
}
