using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Storage.Orders;
using Npgsql;
using static Meterai.Storage.Postgres.PostgresOrderRows;

namespace Meterai.Storage.Postgres;

/// <summary>The transactions that move money or quota: a provider report (inbox, order, credit), a retried credit, a refund.</summary>
internal sealed partial class PostgresOrderStore
{
    public Task<ApplyResult> ApplyAsync(ProviderReport report, CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(async ct =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                // Round trip 1: BEGIN, lock the order, and read what the inbox holds for it (under the order's lock every inbox
                // write for the order is serialised; the primary key is the last line behind it).
                var (order, inbox, _) = await LockOrderAsync(conn, report.OrderId, report, null, ct).ConfigureAwait(false);
                if (order is null)
                {
                    await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                    return Unknown(report.OrderId);
                }

                var now = Now;
                var decision = OrderRules.Decide(order, report, inbox);
                var write = OrderRules.InboxWriteFor(report, inbox, decision);
                switch (decision.Verdict)
                {
                    case ReportVerdict.Refused:
                    case ReportVerdict.NeedsConfirmation:
                        await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                        return new ApplyResult(decision.Verdict, order, Code: decision.Code, Message: decision.Message);
                    case ReportVerdict.Duplicate:
                    case ReportVerdict.Stale:
                    {
                        // Nothing moves; the provider's confirmed word is still recorded once (a stale row, or confirming an old row),
                        // and a pending notification that overtook our charge's answer still leaves the buyer's QR / VA number kept.
                        var after = report.Charge is { } charge && order.Charge is null ? order with { Charge = charge, UpdatedAt = now } : order;
                        var commands = new List<NpgsqlBatchCommand>();
                        if (WriteInbox(write, report, decision.Verdict, now) is { } row) commands.Add(row);
                        if (!ReferenceEquals(after, order)) commands.Add(Update(after));
                        if (commands.Count == 0)
                        {
                            await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                        }
                        else
                        {
                            commands.Add(Commit());
                            await RunAsync(conn, [.. commands], ct).ConfigureAwait(false);
                        }

                        return new ApplyResult(decision.Verdict, after, Code: decision.Code, Message: decision.Message);
                    }
                }

                NpgsqlBatchCommand[] Writes(Order advanced) =>
                    WriteInbox(write, report, ReportVerdict.Applied, now) is { } row ? [row, Update(advanced), Commit()] : [Update(advanced), Commit()];

                if (!decision.Credit)
                {
                    var after = OrderRules.Advance(order, decision, report, null, now);
                    await RunAsync(conn, Writes(after), ct).ConfigureAwait(false);
                    return new ApplyResult(ReportVerdict.Applied, after, Code: decision.Code, Message: decision.Message);
                }

                // Round trips 2 and 3: the ledger's batch flow (lock accounts, decide, write), with the inbox row, the
                // order and COMMIT riding in the ledger's write round trip.
                Order? credited = null;
                var outcome = await ledger.ApplyWithinAsync(conn, [[OrderCredit.CreditFor(order)]], o =>
                {
                    credited = OrderRules.Advance(order, decision, report, o.Results[0][0], now);
                    return Writes(credited);
                }, ct).ConfigureAwait(false);
                return new ApplyResult(ReportVerdict.Applied, credited, outcome.Results[0][0], decision.Code, decision.Message);
            }
            catch
            {
                await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);

    public Task<ApplyResult> RetryCreditAsync(OrderId id, CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(async ct =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                var (order, _, _) = await LockOrderAsync(conn, id, null, null, ct).ConfigureAwait(false);
                if (order is null || order.State != OrderState.Paid)
                {
                    await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                    return order is null ? Unknown(id) : new ApplyResult(ReportVerdict.Duplicate, order);
                }

                var now = Now;
                Order? after = null;
                var outcome = await ledger.ApplyWithinAsync(conn, [[OrderCredit.CreditFor(order)]], o =>
                {
                    after = OrderRules.AfterCredit(order, o.Results[0][0], now);
                    return [Update(after), Commit()];
                }, ct).ConfigureAwait(false);
                return new ApplyResult(ReportVerdict.Applied, after, outcome.Results[0][0]);
            }
            catch
            {
                await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);

    public Task<Result<OrderRefund>> RefundAsync(NewRefund refund, Rupiah amount, CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync<Result<OrderRefund>>(async ct =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            try
            {
                var (order, _, existing) = await LockOrderAsync(conn, refund.OrderId, null, refund.Id, ct).ConfigureAwait(false);
                Error? refusal = order is null ? new Error(OrderErrors.OrderNotFound, $"no order {refund.OrderId}") : null;
                if (refusal is null && existing is not null)
                {
                    await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                    return existing.OrderId == refund.OrderId && existing.Quantity == refund.Quantity
                        ? existing
                        : new Error(OrderErrors.RefundKeyReused, $"refund key {refund.Id} was used for another refund");
                }

                refusal ??= OrderRules.CheckRefund(order!, refund.Quantity);
                if (refusal is not null)
                {
                    await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                    return refusal;
                }

                var now = Now;
                var record = new OrderRefund(refund.Id, refund.OrderId, refund.Quantity, amount, RefundState.Reversed,
                    OrderCredit.RefundTransferIdFor(refund.Id), refund.Reason, refund.RequestedBy, TimeCodec.Truncate(refund.CreatedAt), null, null, 0, now);
                var outcome = await ledger.ApplyWithinAsync(conn, [[OrderCredit.ReversalFor(order!, refund.Id, refund.Quantity)]], o =>
                    o.Results[0][0].IsCommitted()
                        ? [InsertRefund(record), Update(OrderRules.AfterRefund(order!, refund.Quantity, now)), Commit()]
                        : [new NpgsqlBatchCommand("ROLLBACK")], ct).ConfigureAwait(false);
                var result = outcome.Results[0][0];
                if (result.IsCommitted()) return record;
                return result == TransferResult.ExceedsCredits
                    ? new Error(OrderErrors.QuotaAlreadyUsed, $"the buyer no longer holds {refund.Quantity} unused stamps of order {refund.OrderId}: only unused stamps can be refunded")
                    : new Error(result.Code(), $"the ledger refused the reversal of order {refund.OrderId}: {result.Code()}");
            }
            catch
            {
                await PostgresLedgerTransaction.RollbackAsync(conn).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);

    /// <summary>BEGIN; the order locked; what the inbox holds for it from the report's provider; the refund with the given id.</summary>
    private static async Task<(Order? Order, OrderStatements Inbox, OrderRefund? Refund)> LockOrderAsync(
        NpgsqlConnection conn, OrderId id, ProviderReport? report, string? refundId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var select = new NpgsqlBatchCommand($"SELECT {OrderColumns.Order} FROM orders WHERE id = $1 FOR UPDATE");
        select.Parameters.Add(Text(id.Value));
        batch.BatchCommands.Add(select);
        if (report is not null)
        {
            var statements = new NpgsqlBatchCommand(StatementsSql);
            statements.Parameters.Add(Text(report.Provider));
            statements.Parameters.Add(Text(id.Value));
            batch.BatchCommands.Add(statements);
        }

        if (refundId is not null)
        {
            var refund = new NpgsqlBatchCommand($"SELECT {OrderColumns.Refund} FROM order_refunds WHERE id = $1");
            refund.Parameters.Add(Text(refundId));
            batch.BatchCommands.Add(refund);
        }

        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var order = (await PostgresRows.ReadAllAsync(r, Order, ct).ConfigureAwait(false)).FirstOrDefault();
        var inbox = OrderStatements.None;
        if (report is not null)
        {
            await r.NextResultAsync(ct).ConfigureAwait(false);
            inbox = new OrderStatements(await PostgresRows.ReadAllAsync(r, Statement, ct).ConfigureAwait(false));
        }

        OrderRefund? existing = null;
        if (refundId is not null)
        {
            await r.NextResultAsync(ct).ConfigureAwait(false);
            existing = (await PostgresRows.ReadAllAsync(r, Refund, ct).ConfigureAwait(false)).FirstOrDefault();
        }

        return (order, inbox, existing);
    }

    private static async Task RunAsync(NpgsqlConnection conn, NpgsqlBatchCommand[] commands, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn);
        foreach (var c in commands) batch.BatchCommands.Add(c);
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Commit() => new("COMMIT");

    private static NpgsqlBatchCommand InsertRefund(OrderRefund r)
    {
        var cmd = new NpgsqlBatchCommand($"INSERT INTO order_refunds ({OrderColumns.Refund}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
        foreach (var p in (NpgsqlParameter[])
                 [
                     Text(r.Id), Text(r.OrderId.Value), Int(r.Quantity), Long(r.Amount.Value), Small((short)r.State), Id(r.TransferId), Text(r.Reason),
                     Text(r.RequestedBy), Time(r.CreatedAt), Time(r.CompletedAt), Text(r.Error), Int(r.Attempts), Time(r.NextAttemptAt),
                 ])
        {
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    private static ApplyResult Unknown(OrderId id) =>
        new(ReportVerdict.Refused, null, Code: PaymentErrors.OrderUnknown, Message: $"no order {id} was placed here");
}
