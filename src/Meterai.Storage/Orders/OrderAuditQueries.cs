using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Storage.Ledger;

namespace Meterai.Storage.Orders;

/// <summary>
/// The payments audit's SQL, written once in the dialect both backends share, and the operator's "paid but not
/// credited" count. Every figure is checked against the ledger's transfers, not against the order's own state, so an
/// order marked fulfilled without its credit (a bug, a hand-written statement) shows up. Each rule is one
/// <c>FROM … WHERE …</c> over orders <c>o</c>: counted for the verdict and, when it breaks, its first order ids listed
/// (by id, at most the audit's limit), so an operator can recheck them.
/// </summary>
internal static class OrderAuditQueries
{
    /// <summary>Credits without the provider's paid status in the inbox.</summary>
    private const string CreditWithoutPayment = """
        FROM orders o JOIN transfers t ON t.id = o.credit_transfer_id
        WHERE NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1)
        """;

    /// <summary>Fulfilled orders whose credit is missing or wrong, and credits of orders not fulfilled.</summary>
    private const string CreditMissingOrWrong = """
        FROM orders o LEFT JOIN transfers t ON t.id = o.credit_transfer_id
        WHERE (o.fulfilled_at IS NOT NULL AND (t.id IS NULL OR t.amount <> o.quantity OR t.debit_account_id <> o.stock_account_id
                                               OR t.credit_account_id <> o.quota_account_id OR t.code <> 3 OR t.flags <> 0))
           OR (o.fulfilled_at IS NULL AND t.id IS NOT NULL)
        """;

    /// <summary>Orders with a refund whose reversing transfer is missing or wrong, or whose refunded quantity is not their refunds' sum.</summary>
    private const string RefundNotReversed = """
        FROM orders o
        WHERE EXISTS (SELECT 1 FROM order_refunds r LEFT JOIN transfers t ON t.id = r.transfer_id
                      WHERE r.order_id = o.id AND (t.id IS NULL OR t.amount <> r.quantity OR t.debit_account_id <> o.quota_account_id OR t.code <> 5))
           OR o.refunded_quantity <> coalesce((SELECT sum(r.quantity) FROM order_refunds r WHERE r.order_id = o.id), 0)
        """;

    /// <summary>
    /// Orders whose state disagrees with the provider's confirmed statements (inbox rows with confirmed = 1): a provider
    /// status past pending that the provider never confirmed; paid or fulfilled without a confirmed paid status; expired
    /// without a confirmed deny, cancel or expire; refunded beyond our own refunds without a confirmed refund.
    /// </summary>
    private const string DisagreeWithProvider = """
        FROM orders o
        WHERE (o.provider_status IS NOT NULL AND o.provider_status <> 0
               AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status = o.provider_status AND i.confirmed = 1))
           OR (o.state IN (3, 4) AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1 AND i.confirmed = 1))
           OR (o.state = 5 AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status IN (3, 4, 5) AND i.confirmed = 1))
           OR (o.state = 6 AND o.refunded_quantity <> o.quantity
               AND NOT EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status = 7 AND i.confirmed = 1))
        """;

    /// <summary>Orders the provider reported paid (inbox row with a paid status, or a payment time) without a credit transfer,
    /// except those refunded in full before any credit.</summary>
    private const string PaidNotCredited = """
        FROM orders o
        WHERE o.state <> 6
          AND (o.paid_at IS NOT NULL OR EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.paid = 1))
          AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = o.credit_transfer_id)
        """;

    public const string PaidNotCreditedSql = "SELECT count(*) " + PaidNotCredited;

    /// <summary>
    /// A page of orders by id for the comparison with the provider (parameters: the id to start after, the page size), all
    /// of them or only those whose recorded provider status the provider may still change (<c>{0}</c>, <c>{1}</c>: the
    /// backend's parameter names).
    /// </summary>
    public static string ProviderCheckPage(bool includeFinal, string after, string limit) => $"""
        SELECT {OrderColumns.OrderAs("o")} FROM orders o
        WHERE o.id > {after}
        {(includeFinal ? "" : """
          AND NOT (o.provider_status IN (3, 4, 5, 7)
                   AND EXISTS (SELECT 1 FROM payment_inbox i WHERE i.order_id = o.id AND i.status = o.provider_status AND i.confirmed = 1))
        """)}
        ORDER BY o.id LIMIT {limit}
        """;

    /// <summary>The first order ids a rule flags.</summary>
    public delegate Task<IReadOnlyList<string>> QueryIds(string sql, CancellationToken ct);

    /// <param name="listed">How many order ids to name per broken invariant.</param>
    public static async Task<IReadOnlyList<InvariantCheck>> AuditAsync(LedgerAuditQueries.QueryRow query, QueryIds ids, int listed, CancellationToken ct)
    {
        var checks = new List<InvariantCheck>();
        async Task<IReadOnlyList<string>?> FirstAsync(string rule, long broken) =>
            broken == 0 || listed <= 0 ? null : await ids($"SELECT o.id {rule} ORDER BY o.id LIMIT {listed}", ct).ConfigureAwait(false);

        var unpaid = await query($"SELECT count(*), (SELECT count(*) FROM orders o2 JOIN transfers t2 ON t2.id = o2.credit_transfer_id) {CreditWithoutPayment}", ct)
            .ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.NoCreditWithoutPayment, unpaid[0] == 0, unpaid[0] == 0
            ? $"{unpaid[1]} order credits, each with the provider's paid status in the inbox"
            : $"{unpaid[0]} order credits without a paid status from the provider", await FirstAsync(CreditWithoutPayment, unpaid[0]).ConfigureAwait(false)));

        var fulfilled = await query($"SELECT count(*), (SELECT count(*) FROM orders WHERE fulfilled_at IS NOT NULL) {CreditMissingOrWrong}", ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.FulfilledOrdersCredited, fulfilled[0] == 0, fulfilled[0] == 0
            ? $"{fulfilled[1]} fulfilled orders, each credited once with its quantity"
            : $"{fulfilled[0]} orders whose credit transfer is missing, wrong, or present without the order being fulfilled",
            await FirstAsync(CreditMissingOrWrong, fulfilled[0]).ConfigureAwait(false)));

        var refunds = await query($"SELECT count(*), (SELECT count(*) FROM order_refunds) {RefundNotReversed}", ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.RefundsReversed, refunds[0] == 0, refunds[0] == 0
            ? $"{refunds[1]} refunds, each with its reversing transfer"
            : $"{refunds[0]} orders with a refund without its matching reversing transfer, or a refunded quantity that disagrees with their refunds",
            await FirstAsync(RefundNotReversed, refunds[0]).ConfigureAwait(false)));

        var disagree = await query($"SELECT count(*), (SELECT count(*) FROM orders) {DisagreeWithProvider}", ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.OrdersAgreeWithProvider, disagree[0] == 0, disagree[0] == 0
            ? $"{disagree[1]} orders, each state backed by the provider's confirmed word"
            : $"{disagree[0]} orders whose state or provider status no confirmed statement of the provider backs (a recheck repairs them: meterai payments recheck --broken)",
            await FirstAsync(DisagreeWithProvider, disagree[0]).ConfigureAwait(false)));

        var paidNotCredited = await query(PaidNotCreditedSql, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(PaymentInvariant.PaidOrdersCredited, paidNotCredited[0] == 0, paidNotCredited[0] == 0
            ? "no order is paid but not credited"
            : $"{paidNotCredited[0]} orders are paid but not credited (issuer stock short or a closed account?): reconciliation retries them",
            await FirstAsync(PaidNotCredited, paidNotCredited[0]).ConfigureAwait(false)));
        return checks;
    }
}
