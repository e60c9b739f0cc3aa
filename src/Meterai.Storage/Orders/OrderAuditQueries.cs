using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Storage.Ledger;

namespace Meterai.Storage.Orders;

/// <summary>
/// The payments audit's SQL, written once in the dialect both backends share, and the operator's "paid but not
/// credited" count. Every figure is checked against the ledger's transfers, not against the order's own state, so an
/// order marked fulfilled without its credit (a bug, a hand-written statement) shows up.
/// </summary>
internal static class OrderAuditQueries
{
    /// <summary>Orders the provider reported paid (inbox row with a paid status, or a payment time) without a credit transfer,
    /// except those refunded in full before any credit.</summary>
    public const string PaidNotCreditedSql = """
        SELECT count(*) FROM orders o
        WHERE o.state <> 6
          AND (o.paid_at IS NOT NULL OR EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1))
          AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = o.credit_transfer_id)
        """;

    /// <summary>
    /// Orders whose state disagrees with the provider's confirmed statements (inbox rows with confirmed = 1): a provider
    /// status past pending that the provider never confirmed; paid or fulfilled without a confirmed paid status; expired
    /// without a confirmed deny, cancel or expire; refunded beyond our own refunds without a confirmed refund.
    /// </summary>
    public const string DisagreeWithProviderSql = """
        SELECT count(*), (SELECT count(*) FROM orders)
        FROM orders o
        WHERE (o.provider_status IS NOT NULL AND o.provider_status <> 0
               AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status = o.provider_status AND i.confirmed = 1))
           OR (o.state IN (3, 4) AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1 AND i.confirmed = 1))
           OR (o.state = 5 AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status IN (3, 4, 5) AND i.confirmed = 1))
           OR (o.state = 6 AND o.refunded_quantity <> o.quantity
               AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status = 7 AND i.confirmed = 1))
        """;

    public static async Task<IReadOnlyList<InvariantCheck>> AuditAsync(LedgerAuditQueries.QueryRow query, CancellationToken ct)
    {
        var checks = new List<InvariantCheck>();

        var unpaid = await query("""
            SELECT count(*), (SELECT count(*) FROM orders o2 JOIN transfers t2 ON t2.id = o2.credit_transfer_id)
            FROM orders o JOIN transfers t ON t.id = o.credit_transfer_id
            WHERE NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1)
            """, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.NoCreditWithoutPayment, unpaid[0] == 0, unpaid[0] == 0
            ? $"{unpaid[1]} order credits, each with the provider's paid status in the inbox"
            : $"{unpaid[0]} order credits without a paid status from the provider"));

        var fulfilled = await query("""
            SELECT count(*), (SELECT count(*) FROM orders WHERE fulfilled_at IS NOT NULL)
            FROM orders o LEFT JOIN transfers t ON t.id = o.credit_transfer_id
            WHERE (o.fulfilled_at IS NOT NULL AND (t.id IS NULL OR t.amount <> o.quantity OR t.debit_account_id <> o.stock_account_id
                                                   OR t.credit_account_id <> o.quota_account_id OR t.code <> 3 OR t.flags <> 0))
               OR (o.fulfilled_at IS NULL AND t.id IS NOT NULL)
            """, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.FulfilledOrdersCredited, fulfilled[0] == 0, fulfilled[0] == 0
            ? $"{fulfilled[1]} fulfilled orders, each credited once with its quantity"
            : $"{fulfilled[0]} orders whose credit transfer is missing, wrong, or present without the order being fulfilled"));

        var refunds = await query("""
            SELECT (SELECT count(*) FROM order_refunds r JOIN orders o ON o.id = r.order_id LEFT JOIN transfers t ON t.id = r.transfer_id
                    WHERE t.id IS NULL OR t.amount <> r.quantity OR t.debit_account_id <> o.quota_account_id OR t.code <> 5),
                   (SELECT count(*) FROM orders o
                    WHERE o.refunded_quantity <> coalesce((SELECT sum(r.quantity) FROM order_refunds r WHERE r.order_id = o.id), 0)),
                   (SELECT count(*) FROM order_refunds)
            """, ct).ConfigureAwait(false);
        var refundsHold = refunds[0] == 0 && refunds[1] == 0;
        checks.Add(new InvariantCheck(PaymentInvariant.RefundsReversed, refundsHold, refundsHold
            ? $"{refunds[2]} refunds, each with its reversing transfer"
            : $"{refunds[0]} refunds without a matching reversing transfer; {refunds[1]} orders whose refunded quantity disagrees with their refunds"));

        var disagree = await query(DisagreeWithProviderSql, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.OrdersAgreeWithProvider, disagree[0] == 0, disagree[0] == 0
            ? $"{disagree[1]} orders, each state backed by the provider's confirmed word"
            : $"{disagree[0]} orders whose state or provider status no confirmed statement of the provider backs (POST /api/v1/operator/orders/{{id}}/recheck repairs one)"));

        var paidNotCredited = await query(PaidNotCreditedSql, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.PaidOrdersCredited, paidNotCredited[0] == 0, paidNotCredited[0] == 0
            ? "no order is paid but not credited"
            : $"{paidNotCredited[0]} orders are paid but not credited (issuer stock short or a closed account?): reconciliation retries them"));
        return checks;
    }
}
