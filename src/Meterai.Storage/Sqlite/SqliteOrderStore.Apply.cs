using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Storage.Orders;
using Microsoft.Data.Sqlite;
using static Meterai.Storage.Sqlite.SqliteOrderRows;

namespace Meterai.Storage.Sqlite;

/// <summary>The transactions that move money or quota: a provider report (inbox, order, credit), a retried credit, a refund.</summary>
internal sealed partial class SqliteOrderStore
{
    /// <summary>Thrown inside the write transaction to roll back a decision that writes nothing (or a refused ledger step).</summary>
    private sealed class Abandon(object result) : Exception("abandoned: nothing to write")
    {
        public object Result { get; } = result;
    }

    public Task<ApplyResult> ApplyAsync(ProviderReport report, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
            {
                var order = await OneAsync(conn, tx, $"SELECT {OrderColumns.Order} FROM orders WHERE id = $p1", [report.OrderId.Value], cancellationToken)
                    .ConfigureAwait(false);
                if (order is null) return Unknown(report.OrderId);
                var inbox = new OrderStatements(await ListAsync(conn, tx, StatementsSql, [report.Provider, report.OrderId.Value], Statement, cancellationToken)
                    .ConfigureAwait(false));
                var now = Now;
                var decision = OrderRules.Decide(order, report, inbox);
                var write = OrderRules.InboxWriteFor(report, inbox, decision);
                switch (decision.Verdict)
                {
                    case ReportVerdict.Refused:
                    case ReportVerdict.NeedsConfirmation:
                        return new ApplyResult(decision.Verdict, order, Code: decision.Code, Message: decision.Message);
                    case ReportVerdict.Duplicate:
                    case ReportVerdict.Stale:
                    {
                        // Nothing moves; the provider's confirmed word is still recorded once (a stale row, or confirming an old row).
                        var after = report.Charge is { } charge && order.Charge is null ? order with { Charge = charge, UpdatedAt = now } : order;
                        if (WriteInbox(write, report, decision.Verdict, now) is { } row) await ExecuteAsync(conn, tx, row, cancellationToken).ConfigureAwait(false);
                        if (!ReferenceEquals(after, order)) await ExecuteAsync(conn, tx, Update(after), cancellationToken).ConfigureAwait(false);
                        return new ApplyResult(decision.Verdict, after, Code: decision.Code, Message: decision.Message);
                    }
                }

                TransferResult? credit = null;
                if (decision.Credit)
                {
                    var outcome = await ledger.ApplyWithinAsync(conn, tx, [[OrderCredit.CreditFor(order)]], cancellationToken).ConfigureAwait(false);
                    credit = outcome.Results[0][0];
                }

                var advanced = OrderRules.Advance(order, decision, report, credit, now);
                if (WriteInbox(write, report, ReportVerdict.Applied, now) is { } inserted) await ExecuteAsync(conn, tx, inserted, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(conn, tx, Update(advanced), cancellationToken).ConfigureAwait(false);
                return new ApplyResult(ReportVerdict.Applied, advanced, credit, decision.Code, decision.Message);
            }, cancellationToken);

    public Task<ApplyResult> RetryCreditAsync(OrderId id, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            var order = await OneAsync(conn, tx, $"SELECT {OrderColumns.Order} FROM orders WHERE id = $p1", [id.Value], cancellationToken).ConfigureAwait(false);
            if (order is null) return Unknown(id);
            if (order.State != OrderState.Paid) return new ApplyResult(ReportVerdict.Duplicate, order);
            var outcome = await ledger.ApplyWithinAsync(conn, tx, [[OrderCredit.CreditFor(order)]], cancellationToken).ConfigureAwait(false);
            var after = OrderRules.AfterCredit(order, outcome.Results[0][0], Now);
            await ExecuteAsync(conn, tx, Update(after), cancellationToken).ConfigureAwait(false);
            return new ApplyResult(ReportVerdict.Applied, after, outcome.Results[0][0]);
        }, cancellationToken);

    public async Task<Result<OrderRefund>> RefundAsync(NewRefund refund, Rupiah amount, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.WriteAsync<Result<OrderRefund>>(async (conn, tx) =>
            {
                var order = await OneAsync(conn, tx, $"SELECT {OrderColumns.Order} FROM orders WHERE id = $p1", [refund.OrderId.Value], cancellationToken)
                    .ConfigureAwait(false);
                if (order is null) return new Error(OrderErrors.OrderNotFound, $"no order {refund.OrderId}");
                var existing = (await ListAsync(conn, tx, $"SELECT {OrderColumns.Refund} FROM order_refunds WHERE id = $p1", [refund.Id], Refund, cancellationToken)
                    .ConfigureAwait(false)).FirstOrDefault();
                if (existing is not null)
                {
                    return existing.OrderId == refund.OrderId && existing.Quantity == refund.Quantity
                        ? existing
                        : new Error(OrderErrors.RefundKeyReused, $"refund key {refund.Id} was used for another refund");
                }

                if (OrderRules.CheckRefund(order, refund.Quantity) is { } refusal) return refusal;
                var now = Now;
                var outcome = await ledger.ApplyWithinAsync(conn, tx, [[OrderCredit.ReversalFor(order, refund.Id, refund.Quantity)]], cancellationToken)
                    .ConfigureAwait(false);
                var result = outcome.Results[0][0];
                if (!result.IsCommitted())
                {
                    // A refused transfer wrote nothing; roll back anyway so this transaction leaves no trace.
                    throw new Abandon(result == TransferResult.ExceedsCredits
                        ? Result<OrderRefund>.Fail(OrderErrors.QuotaAlreadyUsed,
                            $"the buyer no longer holds {refund.Quantity} unused stamps of order {refund.OrderId}: only unused stamps can be refunded")
                        : Result<OrderRefund>.Fail(result.Code(), $"the ledger refused the reversal of order {refund.OrderId}: {result.Code()}"));
                }

                var record = new OrderRefund(refund.Id, refund.OrderId, refund.Quantity, amount, RefundState.Reversed,
                    OrderCredit.RefundTransferIdFor(refund.Id), refund.Reason, refund.RequestedBy, TimeCodec.Truncate(refund.CreatedAt), null, null, 0, now);
                await ExecuteAsync(conn, tx, InsertRefund(record), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(conn, tx, Update(OrderRules.AfterRefund(order, refund.Quantity, now)), cancellationToken).ConfigureAwait(false);
                return record;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Abandon a)
        {
            return (Result<OrderRefund>)a.Result;
        }
    }

    private static ApplyResult Unknown(OrderId id) =>
        new(ReportVerdict.Refused, null, Code: PaymentErrors.OrderUnknown, Message: $"no order {id} was placed here");
}
