using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>
/// A ledger batch inside one PostgreSQL transaction (READ COMMITTED) in two round trips: BEGIN, lock the accounts and
/// read the batch's existing ids; then write everything with one set-based statement per table (unnest of arrays)
/// followed by COMMIT. (A third, earlier round trip locks the pending transfers when the batch resolves any.) Row
/// locks, not the isolation level, make it correct: what the state machine read under the locks is still true when
/// the writes land. BEGIN and COMMIT travel as statements of those batches instead of round trips of their own.
/// </summary>
/// <param name="begun">The caller already sent BEGIN on <paramref name="conn"/>.</param>
/// <param name="finish">
/// For a batch inside a transaction someone else owns (the order store's one transaction: inbox, order, credit): the
/// statements that follow the ledger's writes in the same round trip, given what the batch decided. They replace the
/// COMMIT, so the owner must end them with its own COMMIT (or commit later).
/// </param>
internal sealed class PostgresLedgerTransaction(NpgsqlConnection conn, bool begun = false, Func<LedgerBatchOutcome, IEnumerable<NpgsqlBatchCommand>>? finish = null)
    : ILedgerTransaction
{
    private const string LockTransfersSql = $"SELECT {PostgresRows.TransferColumns} FROM transfers WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private const string LockAccountsSql = $"SELECT {PostgresRows.AccountColumns} FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private const string ReadTransfersSql = $"SELECT {PostgresRows.TransferColumns} FROM transfers WHERE id = ANY($1)";

    private const string InsertTransfersSql = $"""
        INSERT INTO transfers ({PostgresRows.TransferColumns})
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::uuid[], $6::bigint[], $7::integer[],
                             $8::integer[], $9::timestamptz[], $10::timestamptz[], $11::smallint[])
        """;

    // No "AND pending_state = 1": the rows are locked and were read as pending; should one not be, the immutability
    // trigger raises and the whole batch rolls back before its COMMIT runs.
    private const string ResolveSql = """
        UPDATE transfers t SET pending_state = u.state
        FROM unnest($1::uuid[], $2::smallint[]) AS u(id, state)
        WHERE t.id = u.id
        """;

    private const string UpdateAccountsSql = """
        UPDATE accounts a
        SET debits_pending = u.dpe, debits_posted = u.dpo, credits_pending = u.cpe, credits_posted = u.cpo
        FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS u(id, dpe, dpo, cpe, cpo)
        WHERE a.id = u.id
        """;

    private bool _begun = begun;

    /// <summary>A batch that opens the transaction if this is its first statement.</summary>
    private NpgsqlBatch NewBatch()
    {
        var batch = new NpgsqlBatch(conn);
        if (!_begun) batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        _begun = true;
        return batch;
    }

    /// <summary>Ends a transaction that wrote nothing, or one abandoned by an error (safe to call when none is open).</summary>
    public static async Task RollbackAsync(NpgsqlConnection conn)
    {
        if (conn.FullState.HasFlag(System.Data.ConnectionState.Broken) || conn.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", conn);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection is gone; so is its transaction.
        }
    }

    public async Task<IReadOnlyList<TransferRecord>> LockTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken ct)
    {
        await using var batch = NewBatch();
        var cmd = new NpgsqlBatchCommand(LockTransfersSql);
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ids), NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(cmd);
        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await PostgresRows.ReadAllAsync(r, PostgresRows.Transfer, ct).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<Account> Accounts, IReadOnlyList<TransferRecord> Transfers)> LockAccountsThenReadTransfersAsync(
        IReadOnlyList<UInt128> accountIds, IReadOnlyList<UInt128> transferIds, CancellationToken ct)
    {
        // One round trip: the statements of a batch run in order, so the read happens after the locks are held.
        await using var batch = NewBatch();
        var locks = new NpgsqlBatchCommand(LockAccountsSql);
        locks.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(accountIds), NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(locks);
        var read = new NpgsqlBatchCommand(ReadTransfersSql);
        read.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(transferIds), NpgsqlDbType.Uuid));
        batch.BatchCommands.Add(read);
        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var accounts = await PostgresRows.ReadAllAsync(r, PostgresRows.Account, ct).ConfigureAwait(false);
        await r.NextResultAsync(ct).ConfigureAwait(false);
        var transfers = await PostgresRows.ReadAllAsync(r, PostgresRows.Transfer, ct).ConfigureAwait(false);
        return (accounts, transfers);
    }

    /// <summary>Writes the outcome and commits (or runs the owner's finishing statements), in one round trip.</summary>
    public async Task WriteAsync(LedgerBatchOutcome outcome, CancellationToken ct)
    {
        await using var batch = NewBatch();
        if (outcome.Inserted.Count > 0) batch.BatchCommands.Add(InsertTransfers(outcome.Inserted));
        if (outcome.Resolved.Count > 0)
        {
            var resolve = new NpgsqlBatchCommand(ResolveSql);
            resolve.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(outcome.Resolved.Select(p => p.Id)), NpgsqlDbType.Uuid));
            resolve.Parameters.Add(PostgresRows.Array(outcome.Resolved.Select(p => (short)p.PendingState).ToArray(), NpgsqlDbType.Smallint));
            batch.BatchCommands.Add(resolve);
        }

        if (outcome.ChangedAccounts.Count > 0)
        {
            var a = outcome.ChangedAccounts;
            var update = new NpgsqlBatchCommand(UpdateAccountsSql);
            update.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(a.Select(x => x.Id)), NpgsqlDbType.Uuid));
            update.Parameters.Add(PostgresRows.Array(a.Select(x => x.DebitsPending).ToArray(), NpgsqlDbType.Bigint));
            update.Parameters.Add(PostgresRows.Array(a.Select(x => x.DebitsPosted).ToArray(), NpgsqlDbType.Bigint));
            update.Parameters.Add(PostgresRows.Array(a.Select(x => x.CreditsPending).ToArray(), NpgsqlDbType.Bigint));
            update.Parameters.Add(PostgresRows.Array(a.Select(x => x.CreditsPosted).ToArray(), NpgsqlDbType.Bigint));
            batch.BatchCommands.Add(update);
        }

        // An error in any statement above makes the server skip the rest, COMMIT included: all or nothing.
        if (finish is null) batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        else foreach (var command in finish(outcome)) batch.BatchCommands.Add(command);
        if (batch.BatchCommands.Count == 0) return;
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand InsertTransfers(IReadOnlyList<TransferRecord> rows)
    {
        var n = rows.Count;
        var id = new Guid[n];
        var dr = new Guid[n];
        var cr = new Guid[n];
        var amount = new long[n];
        var pending = new Guid?[n];
        var timeout = new long[n];
        var code = new int[n];
        var flags = new int[n];
        var created = new DateTime[n];
        var expires = new DateTime?[n];
        var state = new short[n];
        for (var i = 0; i < n; i++)
        {
            var rec = rows[i];
            var t = rec.Transfer;
            id[i] = IdCodec.ToGuid(t.Id);
            dr[i] = IdCodec.ToGuid(t.DebitAccountId);
            cr[i] = IdCodec.ToGuid(t.CreditAccountId);
            amount[i] = t.Amount;
            pending[i] = t.PendingId == UInt128.Zero ? null : IdCodec.ToGuid(t.PendingId);
            timeout[i] = t.TimeoutSeconds;
            code[i] = t.Code;
            flags[i] = (int)t.Flags;
            created[i] = rec.Timestamp.UtcDateTime;
            expires[i] = rec.ExpiresAt?.UtcDateTime;
            state[i] = (short)rec.PendingState;
        }

        var cmd = new NpgsqlBatchCommand(InsertTransfersSql);
        cmd.Parameters.Add(PostgresRows.Array(id, NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(dr, NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(cr, NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(amount, NpgsqlDbType.Bigint));
        cmd.Parameters.Add(PostgresRows.Array(pending, NpgsqlDbType.Uuid));
        cmd.Parameters.Add(PostgresRows.Array(timeout, NpgsqlDbType.Bigint));
        cmd.Parameters.Add(PostgresRows.Array(code, NpgsqlDbType.Integer));
        cmd.Parameters.Add(PostgresRows.Array(flags, NpgsqlDbType.Integer));
        cmd.Parameters.Add(PostgresRows.Array(created, NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(PostgresRows.Array(expires, NpgsqlDbType.TimestampTz));
        cmd.Parameters.Add(PostgresRows.Array(state, NpgsqlDbType.Smallint));
        return cmd;
    }
}
