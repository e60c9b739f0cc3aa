using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage.Migrations;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresMeteraiDatabase : MeteraiDatabase
{
    private readonly NpgsqlDataSource _dataSource;
    private int _disposed;
    private readonly PostgresLedgerStore _ledger;
    private readonly PostgresStampJournal _journal;

    private PostgresMeteraiDatabase(NpgsqlDataSource dataSource, DatabaseOptions options)
    {
        _dataSource = dataSource;
        _ledger = new PostgresLedgerStore(dataSource, options.Clock, options.MaxTransfersPerBatch, options.BatchGatherWindow);
        var serials = new PostgresSerialStore(dataSource, options.Clock);
        Serials = serials;
        Channels = new PostgresChannelStore(dataSource);
        Applicants = new PostgresApplicantStore(dataSource);
        Operators = new PostgresOperatorStore(dataSource);
        CodeChallenges = new PostgresCodeChallengeStore(dataSource);
        LoginThrottle = new PostgresLoginThrottleStore(dataSource);
        WindowCounters = new PostgresWindowCounterStore(dataSource);
        TokenSigningKeys = new PostgresTokenSigningKeyStore(dataSource);
        var stamps = new PostgresStampStore(dataSource);
        Stamps = stamps;
        _journal = new PostgresStampJournal(dataSource, _ledger, serials, stamps, options.Clock, options.MaxTransfersPerBatch, options.BatchGatherWindow);
        ChannelFunds = new PostgresChannelFundsStore(dataSource);
        Orders = new PostgresOrderStore(dataSource, _ledger, options.Clock);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The pool every store uses (tests read its session settings).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

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

    public override IStampJournal StampJournal => _journal;

    public override IChannelFundsStore ChannelFunds { get; }

    public static async Task<PostgresMeteraiDatabase> OpenBackendAsync(DatabaseOptions options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("the postgres provider needs a connection string (Database:ConnectionString)", nameof(options));
        }

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        // The ledger's statements are few and identical every batch: let Npgsql prepare them once per connection.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        // Skip the session reset Npgsql sends when a connection returns to the pool (a statement of its own per batch).
        // Safe because no store leaves session state behind: no SET, temp tables, LISTEN or held advisory locks.
        if (!options.ConnectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        // Plan each execution of a prepared statement for its own parameters. A generic plan is cached per connection
        // after a few executions — in a fresh deployment while the tables are still nearly empty — and then kept as
        // they grow: the batches' "id = ANY($1)" reads and unnest updates went on scanning whole tables (3–4 ms a
        // statement after a minute at 500 stamps/s, batches ten times slower, p99 over 400 ms). Our hot statements run
        // once per batch, not per row, so planning them each time costs little.
        if (!(builder.Options ?? "").Contains("plan_cache_mode", StringComparison.Ordinal))
        {
            builder.Options = ((builder.Options ?? "") + " -c plan_cache_mode=force_custom_plan").Trim();
        }

        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await PostgresMigrator.MigrateAsync(dataSource, options.Migrate, ct).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresMeteraiDatabase(dataSource, options);
    }

    public override async Task<Error?> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = _dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (NpgsqlException e)
        {
            return Unavailable(e);
        }
    }

    public override Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(CancellationToken cancellationToken = default) =>
        PostgresMigrator.AppliedAsync(_dataSource, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _journal.DisposeAsync().ConfigureAwait(false);
        await _ledger.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
