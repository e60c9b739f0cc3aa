using System.Data;
using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>
/// The quota ledger on PostgreSQL: per process one batching writer (<see cref="LedgerWriter"/>), each batch one
/// durable transaction that locks rows in a global order (pending transfers, then accounts, ascending ids). Several
/// processes on the same database are safe: they wait on each other's row locks, never deadlock, and a batch that
/// loses a race on a unique key is retried from scratch (<see cref="PostgresRetry"/>).
/// </summary>
internal sealed class PostgresLedgerStore : ILedgerStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IClock _clock;
    private readonly LedgerWriter _writer;

    public PostgresLedgerStore(NpgsqlDataSource dataSource, IClock clock, int maxTransfersPerBatch, TimeSpan gatherWindow)
    {
        _dataSource = dataSource;
        _clock = clock;
        _writer = new LedgerWriter(CommitAsync, maxTransfersPerBatch, gatherWindow);
    }

    public Task<IReadOnlyList<CreateAccountResult>> CreateAccountsAsync(IReadOnlyList<NewAccount> accounts, CancellationToken cancellationToken = default)
    {
        if (accounts.Count == 0) return Task.FromResult<IReadOnlyList<CreateAccountResult>>([]);
        return PostgresRetry.RunAsync<IReadOnlyList<CreateAccountResult>>(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            List<Account> existing;
            await using (var read = new NpgsqlCommand($"SELECT {PostgresRows.AccountColumns} FROM accounts WHERE id = ANY($1)", conn, tx))
            {
                read.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(accounts.Select(a => a.Id).Distinct()), NpgsqlDbType.Uuid));
                await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                existing = await PostgresRows.ReadAllAsync(r, PostgresRows.Account, ct).ConfigureAwait(false);
            }

            var (results, inserts) = AccountRules.DecideBatch(accounts, existing.ToDictionary(a => a.Id), TimeCodec.Truncate(_clock.UtcNow));
            if (inserts.Count > 0)
            {
                // No ON CONFLICT: an account another node created since the read fails the key and the batch is
                // decided again, so the answer is "exists" or "account_id_reused", never a silent skip.
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO accounts (id, owner_kind, owner_id, code, flags, created_at)
                    SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::uuid[], $4::integer[], $5::integer[], $6::timestamptz[])
                    """, conn, tx);
                insert.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(inserts.Select(a => a.Id)), NpgsqlDbType.Uuid));
                insert.Parameters.Add(PostgresRows.Array(inserts.Select(a => (short)a.OwnerKind).ToArray(), NpgsqlDbType.Smallint));
                insert.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(inserts.Select(a => a.OwnerId)), NpgsqlDbType.Uuid));
                insert.Parameters.Add(PostgresRows.Array(inserts.Select(a => a.Code).ToArray(), NpgsqlDbType.Integer));
                insert.Parameters.Add(PostgresRows.Array(inserts.Select(a => (int)a.Flags).ToArray(), NpgsqlDbType.Integer));
                insert.Parameters.Add(PostgresRows.Array(inserts.Select(a => a.CreatedAt.UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz));
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return results;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TransferResult>> CreateTransfersAsync(IReadOnlyList<Transfer> transfers, CancellationToken cancellationToken = default) =>
        await _writer.SubmitAsync(transfers, cancellationToken).ConfigureAwait(false);

    private Task<TransferResult[][]> CommitAsync(IReadOnlyList<IReadOnlyList<Transfer>> requests, CancellationToken cancellationToken) =>
        PostgresRetry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                // WriteAsync ends with COMMIT; nothing else to do once it returns.
                var outcome = await LedgerBatchFlow.ApplyAsync(new PostgresLedgerTransaction(conn), requests, TimeCodec.Truncate(_clock.UtcNow), ct)
                    .ConfigureAwait(false);
                return outcome.Results;
            }
            catch
            {
                await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Applies one batch inside a transaction another store owns on <paramref name="conn"/> (BEGIN already sent): the
    /// same flow, rules and lock order as the writer's batches (<see cref="LedgerBatchFlow"/>), with
    /// <paramref name="finish"/>'s statements (ending with the owner's COMMIT) in the round trip of the ledger's writes.
    /// The owner runs it under <see cref="PostgresRetry"/> and rolls back on an exception. Used by the order store so that
    /// a payment's inbox row, its order and its credit commit together, and by the stamp journal.
    /// </summary>
    /// <param name="begun">False when the ledger's first statement should open the transaction (the owner sent nothing yet).</param>
    internal Task<LedgerBatchOutcome> ApplyWithinAsync(NpgsqlConnection conn, IReadOnlyList<IReadOnlyList<Transfer>> requests,
        Func<LedgerBatchOutcome, IEnumerable<NpgsqlBatchCommand>> finish, CancellationToken ct, bool begun = true) =>
        LedgerBatchFlow.ApplyAsync(new PostgresLedgerTransaction(conn, begun, finish), requests, TimeCodec.Truncate(_clock.UtcNow), ct);

    public async Task<IReadOnlyList<Account>> LookupAccountsAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default)
    {
        await using var cmd = _dataSource.CreateCommand($"SELECT {PostgresRows.AccountColumns} FROM accounts WHERE id = ANY($1)");
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ids.Distinct()), NpgsqlDbType.Uuid));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresRows.ReadAllAsync(r, PostgresRows.Account, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TransferRecord>> LookupTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken cancellationToken = default)
    {
        await using var cmd = _dataSource.CreateCommand($"SELECT {PostgresRows.TransferColumns} FROM transfers WHERE id = ANY($1)");
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ids.Distinct()), NpgsqlDbType.Uuid));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresRows.ReadAllAsync(r, PostgresRows.Transfer, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Account>> CloseAccountAsync(UInt128 id, CancellationToken cancellationToken = default)
    {
        // One statement: the row lock it takes is the only one, so it cannot deadlock with batches.
        await using var cmd = _dataSource.CreateCommand($"UPDATE accounts SET flags = flags | 4 WHERE id = $1 RETURNING {PostgresRows.AccountColumns}");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = IdCodec.ToGuid(id) });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) return new Error(LedgerErrors.AccountNotFound, "no account with this id");
        return PostgresRows.Account(r);
    }

    public Task<int> ExpireDuePendingTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        now = TimeCodec.Truncate(now);
        return PostgresRetry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                List<TransferRecord> due;
                // SKIP LOCKED: rows another node is expiring (or a writer is resolving) right now are left to it, and
                // this claim never waits, so it cannot take part in a lock cycle.
                await using (var claim = new NpgsqlBatch(conn))
                {
                    claim.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                    var select = new NpgsqlBatchCommand($"""
                        SELECT {PostgresRows.TransferColumns} FROM transfers
                        WHERE pending_state = 1 AND expires_at IS NOT NULL AND expires_at <= $1
                        ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
                        """);
                    select.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
                    select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
                    claim.BatchCommands.Add(select);
                    await using var r = await claim.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    due = await PostgresRows.ReadAllAsync(r, PostgresRows.Transfer, ct).ConfigureAwait(false);
                }

                if (due.Count == 0)
                {
                    await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                    return 0;
                }

                var outcome = await LedgerBatchFlow.ApplyAsync(new PostgresLedgerTransaction(conn, begun: true), LedgerBatchFlow.ExpiryRequests(due), now, ct)
                    .ConfigureAwait(false);
                return LedgerBatchFlow.CountOk(outcome);
            }
            catch
            {
                await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for every query, without blocking writers.
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await LedgerAuditQueries.LedgerAsync((sql, ct) => PostgresQueries.RowAsync(conn, tx, sql, ct), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
