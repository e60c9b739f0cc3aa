namespace Meterai.Core.Orders;

/// <summary>
/// The operator's view of payments. <see cref="PaidNotCredited"/> must stay zero: orders the provider reported paid
/// (an inbox row with a paid status, or a payment time on the order) whose credit transfer does not exist in the ledger
/// and that were not refunded in full before any credit. It is counted against the ledger itself, not against the
/// order's own state, so a bug that marks an order fulfilled without crediting it still shows.
/// </summary>
public sealed record PaymentHealth(
    long PaidNotCredited,
    IReadOnlyDictionary<OrderState, long> OrdersByState,
    long AwaitingPaymentOverdue,
    long RefundsOutstanding,
    long RefundsFailed,
    long EventsLastDay,
    IReadOnlyDictionary<string, long> EventsLastDayByCode,
    IReadOnlyList<LeaseInfo> Workers);

/// <summary>A worker lease: who ran it last and until when the lease holds.</summary>
public sealed record LeaseInfo(string Name, string Holder, DateTimeOffset Until, DateTimeOffset? LastCompletedAt);
