using Meterai.Core.Ledger;
using Meterai.Storage.Ledger;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

/// <summary>
/// A ledger batch inside a BEGIN IMMEDIATE transaction: the file's write lock is held, so plain reads are as good as
/// row locks, and nothing can change between reading and writing.
/// </summary>
internal sealed class SqliteLedgerTransaction(SqliteConnection conn, SqliteTransaction tx) : ILedgerTransaction
{
    public async Task<IReadOnlyList<TransferRecord>> LockTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken ct) =>
        await ReadTransfersAsync(ids, ct).ConfigureAwait(false);

    public async Task<(IReadOnlyList<Account> Accounts, IReadOnlyList<TransferRecord> Transfers)> LockAccountsThenReadTransfersAsync(
        IReadOnlyList<UInt128> accountIds, IReadOnlyList<UInt128> transferIds, CancellationToken ct)
    {
        var accounts = await SqliteRows.ByIdsAsync(conn, tx, $"SELECT {SqliteRows.AccountColumns} FROM accounts WHERE id = $id", accountIds, SqliteRows.Account, ct)
            .ConfigureAwait(false);
        return (accounts, await ReadTransfersAsync(transferIds, ct).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<TransferRecord>> ReadTransfersAsync(IReadOnlyList<UInt128> ids, CancellationToken ct) =>
        await SqliteRows.ByIdsAsync(conn, tx, $"SELECT {SqliteRows.TransferColumns} FROM transfers WHERE id = $id", ids, SqliteRows.Transfer, ct)
            .ConfigureAwait(false);

    public async Task WriteAsync(LedgerBatchOutcome outcome, CancellationToken ct)
    {
        if (outcome.Inserted.Count > 0)
        {
            await using var insert = conn.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO transfers ({SqliteRows.TransferColumns}) VALUES ($id, $dr, $cr, $amount, $pending, $timeout, $code, $flags, $created, $expires, $state)";
            var id = insert.Parameters.Add("$id", SqliteType.Blob);
            var dr = insert.Parameters.Add("$dr", SqliteType.Blob);
            var cr = insert.Parameters.Add("$cr", SqliteType.Blob);
            var amount = insert.Parameters.Add("$amount", SqliteType.Integer);
            var pending = insert.Parameters.Add("$pending", SqliteType.Blob);
            var timeout = insert.Parameters.Add("$timeout", SqliteType.Integer);
            var code = insert.Parameters.Add("$code", SqliteType.Integer);
            var flags = insert.Parameters.Add("$flags", SqliteType.Integer);
            var created = insert.Parameters.Add("$created", SqliteType.Integer);
            var expires = insert.Parameters.Add("$expires", SqliteType.Integer);
            var state = insert.Parameters.Add("$state", SqliteType.Integer);
            foreach (var rec in outcome.Inserted)
            {
                var t = rec.Transfer;
                id.Value = IdCodec.ToBytes(t.Id);
                dr.Value = IdCodec.ToBytes(t.DebitAccountId);
                cr.Value = IdCodec.ToBytes(t.CreditAccountId);
                amount.Value = t.Amount;
                pending.Value = t.PendingId == UInt128.Zero ? DBNull.Value : IdCodec.ToBytes(t.PendingId);
                timeout.Value = (long)t.TimeoutSeconds;
                code.Value = t.Code;
                flags.Value = (int)t.Flags;
                created.Value = TimeCodec.ToMicros(rec.Timestamp);
                expires.Value = rec.ExpiresAt is { } at ? TimeCodec.ToMicros(at) : DBNull.Value;
                state.Value = (short)rec.PendingState;
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        if (outcome.Resolved.Count > 0)
        {
            await using var resolve = conn.CreateCommand();
            resolve.Transaction = tx;
            resolve.CommandText = "UPDATE transfers SET pending_state = $state WHERE id = $id AND pending_state = 1";
            var id = resolve.Parameters.Add("$id", SqliteType.Blob);
            var state = resolve.Parameters.Add("$state", SqliteType.Integer);
            foreach (var rec in outcome.Resolved)
            {
                id.Value = IdCodec.ToBytes(rec.Id);
                state.Value = (short)rec.PendingState;
                if (await resolve.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    // Cannot happen under the file's write lock; if it does, nothing of the batch may commit.
                    throw new LostRaceException($"pending transfer {rec.Id} was resolved by someone else");
                }
            }
        }

        if (outcome.ChangedAccounts.Count > 0)
        {
            await using var update = conn.CreateCommand();
            update.Transaction = tx;
            update.CommandText = "UPDATE accounts SET debits_pending = $dpe, debits_posted = $dpo, credits_pending = $cpe, credits_posted = $cpo WHERE id = $id";
            var id = update.Parameters.Add("$id", SqliteType.Blob);
            var dpe = update.Parameters.Add("$dpe", SqliteType.Integer);
            var dpo = update.Parameters.Add("$dpo", SqliteType.Integer);
            var cpe = update.Parameters.Add("$cpe", SqliteType.Integer);
            var cpo = update.Parameters.Add("$cpo", SqliteType.Integer);
            foreach (var a in outcome.ChangedAccounts)
            {
                id.Value = IdCodec.ToBytes(a.Id);
                dpe.Value = a.DebitsPending;
                dpo.Value = a.DebitsPosted;
                cpe.Value = a.CreditsPending;
                cpo.Value = a.CreditsPosted;
                await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
