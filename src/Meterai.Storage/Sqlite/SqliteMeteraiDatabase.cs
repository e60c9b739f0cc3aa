using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteMeteraiDatabase : MeteraiDatabase
{
    private readonly SqliteConnections _connections;
    private int _disposed;
    private readonly SqliteLedgerStore _ledger;

    private SqliteMeteraiDatabase(SqliteConnections connections, DatabaseOptions options)
    {
        _connections = connections;
        _ledger = new SqliteLedgerStore(connections, options.Clock, options.MaxTransfersPerBatch, options.BatchGatherWindow);
        Serials = new SqliteSerialStore(connections, options.Clock);
        Channels = new SqliteChannelStore(connections);
        Applicants = new SqliteApplicantStore(connections);
        Operators = new SqliteOperatorStore(connections);
        CodeChallenges = new SqliteCodeChallengeStore(connections);
        LoginThrottle = new SqliteLoginThrottleStore(connections);
        WindowCounters = new SqliteWindowCounterStore(connections);
        TokenSigningKeys = new SqliteTokenSigningKeyStore(connections);
        Stamps = new SqliteStampStore(connections);
        // One writer at a time on SQLite: the steps one after another are as good as a batch.
        StampJournal = new StepwiseStampJournal(_ledger, Serials, Stamps);
        ChannelFunds = new SqliteChannelFundsStore(connections);
        Orders = new SqliteOrderStore(connections, _ledger, options.Clock);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override ILedgerStore Ledger => _ledger;

    public override ISerialStore Serials { get; }

    public override IChannelStore Channels { get; }

    public override IApplicantStore Applicants { get; }

    public override IOperatorStore Operators { get; }

    public override ICodeChallengeStore CodeChallenges { get; }

    public override ILoginThrottleStore LoginThrottle { get; }

    public override IWindowCounterStore WindowCounters { get; }

    public override IStoredTokenSigningKeys TokenSigningKeys { get; }
    public override IOrderStore Orders { get; }

    public override IStampStore Stamps { get; }

    public override IStampJournal StampJournal { get; }

    public override IChannelFundsStore ChannelFunds { get; }

    /// <summary>
    /// Creates the database file 0600 before SQLite does (it would create it 0644 under the usual umask); SQLite gives
    /// its -wal and -shm files the database file's mode, so they are owner-only too. An empty file is an empty database.
    /// </summary>
    private static void CreatePrivately(string file)
    {
        if (file.Length == 0 || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal) || File.Exists(file)) return;
        try
        {
            using (new FileStream(file, Secrets.DataFolder.CreateFileOptions())) { }
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first.
        }
    }

    public static async Task<SqliteMeteraiDatabase> OpenBackendAsync(DatabaseOptions options, CancellationToken ct)
    {
        var connectionString = options.ConnectionString
                               ?? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, DatabaseOptions.SqliteFileName) }.ToString();
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!options.Migrate && !File.Exists(file)) throw new FileNotFoundException($"no SQLite database at {Path.GetFullPath(file)}", file);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Secrets.DataFolder.CreateFolder(folder);
        CreatePrivately(file);

        var connections = new SqliteConnections(connectionString);
        try
        {
            await SqliteMigrator.MigrateAsync(connections, options.Migrate, ct).ConfigureAwait(false);
        }
        catch
        {
            connections.Dispose();
            throw;
        }

        return new SqliteMeteraiDatabase(connections, options);
    }

    public override async Task<Error?> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var conn = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await SqliteQueries.RowAsync(conn, null, "SELECT count(*) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SqliteException e)
        {
            return Unavailable(e);
        }
    }

    public override Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(CancellationToken cancellationToken = default) =>
        SqliteMigrator.AppliedAsync(_connections, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _ledger.DisposeAsync().ConfigureAwait(false);
        _connections.Dispose();
        // Pooled connections would keep the file (and its WAL) open after the database is closed.
        _connections.ClearPool();
    }
}
