using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>The quota ledger on SQLite: one batching writer per process, BEGIN IMMEDIATE transactions, pooled readers.</summary>
internal sealed class SqliteLedgerStore : ILedgerStore, IAsyncDisposable
{
    private readonly SqliteConnections _db;
    private readonly IClock _clock;
    private readonly LedgerWriter _writer;

    public SqliteLedgerStore(SqliteConnections db, IClock clock, int maxTransfersPerBatch, TimeSpan gatherWindow)
    {
        _db = db;
        _clock = clock;
        _writer = new LedgerWriter(CommitAsync, maxTransfersPerBatch, gatherWindow);
    }

    public Task<IReadOnlyList<CreateAccountResult>> CreateAccountsAsync(IReadOnlyList<NewAccount> accounts, CancellationToken cancellationToken = default)
    {
        if (accounts.Count == 0) return Task.FromResult<IReadOnlyList<CreateAccountResult>>([]);
        return _db.WriteAsync<IReadOnlyList<CreateAccountResult>>(async (conn, tx) =>
        {
            var ids = accounts.Select(a => a.Id).Distinct().ToList();
            var existing = await SqliteRows.ByIdsAsync(conn, tx, $"SELECT {SqliteRows.AccountColumns} FROM accounts WHERE id = $id", ids, SqliteRows.Account, cancellationToken)
                .ConfigureAwait(false);
            var (results, inserts) = AccountRules.DecideBatch(accounts, existing.ToDictionary(a => a.Id), TimeCodec.Truncate(_clock.UtcNow));
            await using var insert = conn.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO accounts (id, owner_kind, owner_id, code, flags, created_at) VALUES ($id, $kind, $owner, $code, $flags, $created)";
            foreach (var a in inserts)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$id", IdCodec.ToBytes(a.Id));
                insert.Parameters.AddWithValue("$kind", (short)a.OwnerKind);
                insert.Parameters.AddWithValue("$owner", IdCodec.ToBytes(a.OwnerId));
                insert.Parameters.AddWithValue("$code", a.Code);
                insert.Parameters.AddWithValue("$flags", (int)a.Flags);
                insert.Parameters.AddWithValue("$created", TimeCodec.ToMicros(a.CreatedAt));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return results;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TransferResult>> CreateTransfersAsync(IReadOnlyList<Transfer> transfers, CancellationToken cancellationToken = default) =>
        await _writer.SubmitAsync(transfers, cancellationToken).ConfigureAwait(false);

    private Task<TransferResult[][]> CommitAsync(IReadOnlyList<IReadOnlyList<Transfer>> requests, CancellationToken ct) =>
        _db.WriteAsync(async (conn, tx) =>
        {
            var outcome = await LedgerBatchFlow.ApplyAsync(new SqliteLedgerTransaction(conn, tx), requests, TimeCodec.Truncate(_clock.UtcNow), ct)
                .ConfigureAwait(false);
            return outcome.Results;
        }, ct);

    /// <summary>
    /// Applies one batch inside a write transaction another store owns (it must come from <see cref="SqliteConnections.WriteAsync{T}"/>
    /// on the same file, the single writer): the same flow and rules as the writer's batches (<see cref="LedgerBatchFlow"/>).
    /// Used by the order store so that a payment's inbox row, its order and its credit commit together.
    /// </summary>
    internal Task<LedgerBatchOutcome> ApplyWithinAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<IReadOnlyList<Transfer>> requests, CancellationToken ct) =>
        LedgerBatchFlow.ApplyAsync(new SqliteLedgerTransaction(conn, tx), requests, TimeCodec.Truncate(_clock.UtcNow), ct);

    public async Task<IReadOnlyList<Account>> LookupAccountsAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqliteRows.ByIdsAsync(conn, null, $"SELECT {SqliteRows.AccountColumns} FROM accounts WHERE id = $id", ids.Distinct().ToList(), SqliteRows.Account, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TransferRecord>> LookupTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqliteRows.ByIdsAsync(conn, null, $"SELECT {SqliteRows.TransferColumns} FROM transfers WHERE id = $id", ids.Distinct().ToList(), SqliteRows.Transfer, cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<Result<Account>> CloseAccountAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        _db.WriteAsync<Result<Account>>(async (conn, tx) =>
        {
            var found = await SqliteRows.ByIdsAsync(conn, tx, $"SELECT {SqliteRows.AccountColumns} FROM accounts WHERE id = $id", [id], SqliteRows.Account, cancellationToken)
                .ConfigureAwait(false);
            if (found.Count == 0) return new Error(LedgerErrors.AccountNotFound, "no account with this id");
            var account = found[0];
            if (account.IsClosed) return account;
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE accounts SET flags = flags | $closed WHERE id = $id";
            cmd.Parameters.AddWithValue("$closed", (int)AccountFlags.Closed);
            cmd.Parameters.AddWithValue("$id", IdCodec.ToBytes(id));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return account with { Flags = account.Flags | AccountFlags.Closed };
        }, cancellationToken);

    public Task<int> ExpireDuePendingTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        now = TimeCodec.Truncate(now);
        return _db.WriteAsync(async (conn, tx) =>
        {
            // The file's write lock is the claim: no other writer, in this process or another, runs meanwhile.
            var due = new List<TransferRecord>();
            await using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = $"SELECT {SqliteRows.TransferColumns} FROM transfers WHERE pending_state = 1 AND expires_at IS NOT NULL AND expires_at <= $now ORDER BY expires_at LIMIT $limit";
                cmd.Parameters.AddWithValue("$now", TimeCodec.ToMicros(now));
                cmd.Parameters.AddWithValue("$limit", limit);
                await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) due.Add(SqliteRows.Transfer(r));
            }

            if (due.Count == 0) return 0;
            var outcome = await LedgerBatchFlow.ApplyAsync(new SqliteLedgerTransaction(conn, tx), LedgerBatchFlow.ExpiryRequests(due), now, cancellationToken)
                .ConfigureAwait(false);
            return LedgerBatchFlow.CountOk(outcome);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: every query sees the same snapshot of the file.
        await using var tx = conn.BeginTransaction(deferred: true);
        return await LedgerAuditQueries.LedgerAsync((sql, ct) => SqliteQueries.RowAsync(conn, tx, sql, ct), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
