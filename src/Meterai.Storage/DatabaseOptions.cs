using Meterai.Core.Common;

namespace Meterai.Storage;

/// <summary>How to open the database. Configuration keys (server): <c>Database:Provider</c>, <c>Database:ConnectionString</c>,
/// <c>Database:DataDirectory</c>; environment: <c>METERAI_Database__Provider</c> etc.</summary>
public sealed record DatabaseOptions
{
    public const string DefaultDataDirectory = "./data";
    public const string SqliteFileName = "meterai.db";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// PostgreSQL: required (an Npgsql connection string). SQLite: optional; default
    /// <c>Data Source=&lt;DataDirectory&gt;/meterai.db</c>.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>SQLite only: folder of the database file, created if missing.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>The time stamped on transfers and used for expiry; tests pass a controllable clock.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Most transfers the ledger writer gathers into one transaction.</summary>
    public int MaxTransfersPerBatch { get; init; } = 8190;

    /// <summary>
    /// Longest the ledger writer waits to fill a batch when recent batches suggest more requests are on their way (see
    /// <c>LedgerWriter</c>). Zero: never wait.
    /// </summary>
    public TimeSpan BatchGatherWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// On open, apply pending migrations and create the system accounts (the default). Off: change nothing, and refuse
    /// a database that is missing or not up to date (audits and other read-only tools).
    /// </summary>
    public bool Migrate { get; init; } = true;

    public static DatabaseOptions Sqlite(string dataDirectory = DefaultDataDirectory) => new() { DataDirectory = dataDirectory };

    public static DatabaseOptions Postgres(string connectionString) => new() { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString };
}
