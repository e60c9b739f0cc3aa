using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// Orders, the payment inbox, refunds and payment events: the storage port of selling quota. Implementations (SQLite,
/// PostgreSQL) run <see cref="ApplyAsync"/>, <see cref="RetryCreditAsync"/> and <see cref="RefundAsync"/> as one
/// transaction each that also holds the ledger's transfer (through the ledger's own batch rules and lock order), so a
/// payment is recorded, the order advanced and the quota credited together or not at all. Every write is idempotent;
/// every claim is safe with several nodes (SKIP LOCKED on PostgreSQL, the write lock on SQLite).
/// </summary>
public interface IOrderStore
{
    /// <summary>
    /// Records a new order. With an idempotency key already used by the same buyer: the existing order when the request
    /// is the same (quantity, method, channel), else <c>idempotency_key_reused</c>.
    /// </summary>
    Task<Result<Order>> CreateAsync(NewOrder order, CancellationToken cancellationToken = default);

    Task<Order?> GetAsync(OrderId id, CancellationToken cancellationToken = default);

    /// <summary>The buyer's order placed with this Idempotency-Key, if any.</summary>
    Task<Order?> FindByIdempotencyKeyAsync(Buyer buyer, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>A buyer's orders, newest first.</summary>
    Task<IReadOnlyList<Order>> ListByBuyerAsync(Buyer buyer, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Orders in a state (every state when null), newest first.</summary>
    Task<IReadOnlyList<Order>> ListByStateAsync(OrderState? state, int offset, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<OrderState, long>> CountByStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The one transaction: locks the order, decides with <see cref="OrderRules.Decide"/>, stores the inbox row
    /// (unique per provider, order and status), advances the order, and when the report says paid credits the ledger
    /// with the order's derived transfer id, all committed together. Unknown order: <see cref="ReportVerdict.Refused"/>
    /// with <c>order_unknown</c> and a null order. Refusals and needed confirmations write nothing.
    /// </summary>
    Task<ApplyResult> ApplyAsync(ProviderReport report, CancellationToken cancellationToken = default);

    /// <summary>For a paid order whose credit did not go through (stock short, account missing): tries the credit again.</summary>
    Task<ApplyResult> RetryCreditAsync(OrderId id, CancellationToken cancellationToken = default);

    /// <summary>The order's inbox rows, oldest first.</summary>
    Task<IReadOnlyList<InboxEntry>> InboxAsync(OrderId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> orders that are due: awaiting payment or credit with their next check at or
    /// before <paramref name="now"/>, or in any state with a recheck (<see cref="Order.RecheckAt"/>) due by then. Pushes
    /// both times (those set) to <paramref name="now"/> + <paramref name="lease"/>, so no other node takes them meanwhile;
    /// if this node dies, they come due again when the lease runs out.
    /// </summary>
    Task<IReadOnlyList<Order>> ClaimDueAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Sets when reconciliation looks at the order next (no-op for an order no longer awaiting payment or credit).</summary>
    Task RescheduleAsync(OrderId id, DateTimeOffset nextCheckAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// A notification about the order could not be confirmed now (the status API did not answer, or its challenges were
    /// limited): reconciliation asks the provider about the order at <paramref name="at"/>, whatever its state. Writes
    /// nothing when a recheck at or before <paramref name="at"/> is already due, so a flood of deferrals is one write.
    /// </summary>
    Task DeferToReconciliationAsync(OrderId id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// After reconciliation asked the provider about an order it claimed with a recheck (<see cref="Order.RecheckAt"/> =
    /// <paramref name="claimed"/>, the claim's lease): clears the recheck (<paramref name="next"/> null: the provider
    /// answered) or moves it to <paramref name="next"/> (it did not), but only while it is still that claim's; a deferral
    /// recorded meanwhile (an earlier time) stays.
    /// </summary>
    Task EndRecheckAsync(OrderId id, DateTimeOffset claimed, DateTimeOffset? next, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refund of unused stamps, step one, in one transaction: checks <see cref="OrderRules.CheckRefund"/>, records the
    /// refund, and moves the stamps back (buyer quota → refunded) with a transfer id derived from the refund key; stamps
    /// already used make it <c>quota_already_used</c> and nothing is written. The same key again returns the first
    /// refund (another quantity: <c>refund_key_reused</c>).
    /// </summary>
    Task<Result<OrderRefund>> RefundAsync(NewRefund refund, Rupiah amount, CancellationToken cancellationToken = default);

    /// <summary>Step two: the provider refunded. Idempotent.</summary>
    Task<OrderRefund> CompleteRefundAsync(string refundId, RefundReceipt receipt, CancellationToken cancellationToken = default);

    /// <summary>The provider refused for good: the refund is failed with the reason (the quota stays taken back).</summary>
    Task<OrderRefund> FailRefundAsync(string refundId, Error error, CancellationToken cancellationToken = default);

    /// <summary>The provider did not answer: try again at <paramref name="nextAttemptAt"/>.</summary>
    Task RescheduleRefundAsync(string refundId, DateTimeOffset nextAttemptAt, string? error, CancellationToken cancellationToken = default);

    /// <summary>Claims reversed refunds that are due, like <see cref="ClaimDueAsync"/>.</summary>
    Task<IReadOnlyList<OrderRefund>> ClaimDueRefundsAsync(DateTimeOffset now, int limit, TimeSpan lease, CancellationToken cancellationToken = default);

    Task<OrderRefund?> GetRefundAsync(string refundId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OrderRefund>> RefundsAsync(OrderId id, CancellationToken cancellationToken = default);

    /// <summary>Records an event (once per dedupe key when it has one).</summary>
    Task RecordEventAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken = default);

    /// <summary>The newest events (of one order when given), newest first.</summary>
    Task<IReadOnlyList<StoredPaymentEvent>> EventsAsync(string? orderId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Orders settled by the provider at or after <paramref name="from"/> and before <paramref name="to"/> (for the settlement report).</summary>
    Task<IReadOnlyList<Order>> SettledBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the named lease when it is free or ran out (a worker that only one node should run at a time, e.g. the
    /// settlement report): true when <paramref name="holder"/> now holds it until <paramref name="now"/> + <paramref name="duration"/>.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the lease's work finished at <paramref name="completedAt"/> (shown on the health page) and keeps the
    /// lease until <paramref name="holdUntil"/>, when the work is due again.
    /// </summary>
    Task CompleteLeaseAsync(string name, string holder, DateTimeOffset completedAt, DateTimeOffset holdUntil, CancellationToken cancellationToken = default);

    /// <summary>The operator's figures; orders still awaiting payment that expired before <paramref name="overdueBefore"/> count as overdue.</summary>
    Task<PaymentHealth> HealthAsync(DateTimeOffset now, DateTimeOffset overdueBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Orders by id after <paramref name="after"/> (a page; null starts at the first), for a comparison with the provider's
    /// status API: all of them with <paramref name="includeFinal"/>, else only orders whose provider status may still
    /// change, i.e. not those whose recorded status is final at the provider (deny, cancel, expire, refund) and confirmed
    /// by it. A read: nothing is written.
    /// </summary>
    Task<IReadOnlyList<Order>> ListForProviderCheckAsync(OrderId? after, int limit, bool includeFinal, CancellationToken cancellationToken = default);

    /// <summary>
    /// The payments invariants on the live data (<see cref="PaymentInvariant"/>), for <c>meterai audit</c>; each broken
    /// one names its first <paramref name="listed"/> orders by id (<see cref="InvariantCheck.FirstBroken"/>).
    /// </summary>
    Task<IReadOnlyList<InvariantCheck>> AuditAsync(int listed, CancellationToken cancellationToken = default);
}

/// <summary>The invariants <see cref="IOrderStore.AuditAsync"/> checks. Names are stable.</summary>
public static class PaymentInvariant
{
    /// <summary>Every order credit transfer belongs to an order the provider reported paid (inbox row with a paid status).</summary>
    public const string NoCreditWithoutPayment = "no_credit_without_payment";

    /// <summary>Every fulfilled or refunded-after-credit order has its credit transfer, for its quantity, between its accounts.</summary>
    public const string FulfilledOrdersCredited = "fulfilled_orders_credited";

    /// <summary>Each refund's reversing transfer exists with its quantity, and an order's refunds never exceed its quantity.</summary>
    public const string RefundsReversed = "refunds_reversed";

    /// <summary>Orders the provider reported paid without a credit (operators' "paid but not credited"; must be zero).</summary>
    public const string PaidOrdersCredited = "paid_orders_credited";

    /// <summary>
    /// Every order's state agrees with the provider's record: each recorded provider status past pending, each paid or
    /// fulfilled state, each expiry and each refund not covered by our own refunds is backed by a confirmed statement of
    /// the provider in the inbox (status API or the answer to our own call, never a notification's word).
    /// The operator's re-check repairs an order that breaks it.
    /// </summary>
    public const string OrdersAgreeWithProvider = "orders_agree_with_provider";

    public static IReadOnlyList<string> All { get; } = [NoCreditWithoutPayment, FulfilledOrdersCredited, RefundsReversed, PaidOrdersCredited, OrdersAgreeWithProvider];

    /// <summary>The invariants a recheck of the order (the provider's status API, then the credit retried) puts right.</summary>
    public static IReadOnlyList<string> RepairedByRecheck { get; } = [OrdersAgreeWithProvider, PaidOrdersCredited];

    /// <summary>How many order ids an audit names per broken invariant unless told otherwise.</summary>
    public const int DefaultListed = 20;
}
