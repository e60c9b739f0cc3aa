using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage.Migrations;
using Meterai.Storage.Postgres;
using Meterai.Storage.Sqlite;

namespace Meterai.Storage;

/// <summary>
/// The one entry point to storage: <c>await using var db = await MeteraiDatabase.OpenAsync(options)</c> opens the
/// configured backend, applies pending migrations, makes sure the system accounts exist, and hands out one instance
/// of every store. A new store is one more port in Core, one class per backend here, one property below, and its
/// tables in a migration of its area's number block.
/// </summary>
public abstract class MeteraiDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    public abstract ILedgerStore Ledger { get; }

    public abstract ISerialStore Serials { get; }

    public abstract IChannelStore Channels { get; }

    public abstract IApplicantStore Applicants { get; }

    public abstract IOperatorStore Operators { get; }

    public abstract ICodeChallengeStore CodeChallenges { get; }

    public abstract ILoginThrottleStore LoginThrottle { get; }

    /// <summary>Fixed-window event counters shared by every node (one-time-code limits).</summary>
    public abstract IWindowCounterStore WindowCounters { get; }

    /// <summary>The token signing keys as stored (sealed): read them through <see cref="SealedTokenSigningKeyStore"/>.</summary>
    public abstract IStoredTokenSigningKeys TokenSigningKeys { get; }

    public abstract IStampStore Stamps { get; }

    /// <summary>A stamp's opening and closing, each one transaction (on PostgreSQL shared with concurrent stamps).</summary>
    public abstract IStampJournal StampJournal { get; }

    public abstract IChannelFundsStore ChannelFunds { get; }
    /// <summary>Orders, the payment inbox, refunds and payment events (their credits run inside the ledger's batch flow).</summary>
    public abstract IOrderStore Orders { get; }

    public static async Task<MeteraiDatabase> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        MeteraiDatabase db = options.Provider switch
        {
            DatabaseProvider.Sqlite => await SqliteMeteraiDatabase.OpenBackendAsync(options, cancellationToken).ConfigureAwait(false),
            DatabaseProvider.Postgres => await PostgresMeteraiDatabase.OpenBackendAsync(options, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "unknown database provider"),
        };
        if (!options.Migrate) return db;
        try
        {
            var results = await db.Ledger.CreateAccountsAsync(SystemAccounts.All, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < results.Count; i++)
            {
                if (!results[i].IsCommitted())
                {
                    throw new InvalidOperationException($"system account {SystemAccounts.All[i].Id} cannot be created: {results[i].Code()}");
                }
            }

            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Null when the database answers a query; otherwise why not (error <c>database_unavailable</c>).</summary>
    public abstract Task<Error?> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>The migrations recorded in <c>schema_migrations</c>, in version order.</summary>
    public abstract Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks every invariant of every store on the live data.</summary>
    public Task<AuditReport> AuditAsync(CancellationToken cancellationToken = default) => AuditAsync(PaymentInvariant.DefaultListed, cancellationToken);

    /// <param name="listed">How many records a broken invariant names (<see cref="InvariantCheck.FirstBroken"/>).</param>
    public async Task<AuditReport> AuditAsync(int listed, CancellationToken cancellationToken = default)
    {
        var ledger = await Ledger.AuditAsync(cancellationToken).ConfigureAwait(false);
        var serials = await Serials.AuditAsync(cancellationToken).ConfigureAwait(false);
        var orders = await Orders.AuditAsync(listed, cancellationToken).ConfigureAwait(false);
        return new AuditReport([.. ledger, .. serials, .. orders]);
    }

    public abstract ValueTask DisposeAsync();

    protected static Error Unavailable(Exception e) => new("database_unavailable", e.Message);
}
