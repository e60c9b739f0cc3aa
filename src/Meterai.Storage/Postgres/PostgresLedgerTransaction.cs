using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Meterai.Storage.Postgres;

/// <summary>
/// A ledger batch inside one PostgreSQL transaction (READ COMMITTED), in three round trips plus the commit: lock
/// the referenced pending transfers; lock the accounts and read the batch's existing ids; write everything with one
/// set-based statement per table (unnest of arrays). Row locks, not isolation level, make it correct: whatever the
/// state machine read under the locks is still true when the writes land.
/// </summary>
internal sealed class PostgresLedgerTransaction(NpgsqlConnection conn, NpgsqlTransaction tx) : ILedgerTransaction
{
    private const string LockTransfersSql = $"SELECT {PostgresRows.TransferColumns} FROM transfers WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private const string LockAccountsSql = $"SELECT {PostgresRows.AccountColumns} FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private const string ReadTransfersSql = $"SELECT {PostgresRows.TransferColumns} FROM transfers WHERE id = ANY($1)";

    private const string InsertTransfersSql = $"""
        INSERT INTO transfers ({PostgresRows.TransferColumns})
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::uuid[], $6::bigint[], $7::integer[],
                             $8::integer[], $9::timestamptz[], $10::timestamptz[], $11::smallint[])
        """;

    private const string ResolveSql = """
        UPDATE transfers t SET pending_state = u.state
        FROM unnest($1::uuid[], $2::smallint[]) AS u(id, state)
        WHERE t.id = u.id AND t.pending_state = 1
        """;

    private const string UpdateAccountsSql = """
        UPDATE accounts a
        SET debits_pending = u.dpe, debits_posted = u.dpo, credits_pending = u.cpe, credits_posted = u.cpo
        FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS u(id, dpe, dpo, cpe, cpo)
        WHERE a.id = u.id
        """;

    public async Task<IReadOnlyList<TransferRecord>> LockTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(LockTransfersSql, conn, tx);
        cmd.Parameters.Add(PostgresRows.Array(PostgresRows.Ids(ids), NpgsqlDbType.Uuid));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await PostgresRows.ReadAllAsync(r, PostgresRows.Transfer, ct).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<Account> Accounts, IReadOnlyList<TransferRecord> Transfers)> LockAccountsThenReadTransfersAsync(
        IReadOnlyList<UInt128> accountIds, IReadOnlyList<UInt128> transferIds, CancellationToken ct)
    {
        // One round trip: the statements of a batch run in order, so the read happens after the locks are held.
        await using var batch = new NpgsqlBatch(conn, tx);
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

    public async Task WriteAsync(LedgerBatchOutcome outcome, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        NpgsqlBatchCommand? resolve = null;
        if (outcome.Inserted.Count > 0) batch.BatchCommands.Add(InsertTransfers(outcome.Inserted));
        if (outcome.Resolved.Count > 0)
        {
            resolve = new NpgsqlBatchCommand(ResolveSql);
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

        if (batch.BatchCommands.Count == 0) return;
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        if (resolve is not null && resolve.RecordsAffected != outcome.Resolved.Count)
        {
            // The pending rows are locked, so this means a bug or a hand-made change; never commit half a resolution.
            throw new LostRaceException("a pending transfer was resolved by someone else during the batch");
        }
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
