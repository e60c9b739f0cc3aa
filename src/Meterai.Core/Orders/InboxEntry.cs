using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// One row of the payment inbox: a provider status recorded for an order, at most once per (provider, order, status).
/// The unique key is what makes a duplicated, replayed or concurrently processed notification harmless.
/// </summary>
public sealed record InboxEntry(
    string Provider,
    OrderId OrderId,
    TransactionStatus Status,
    ReportSource Source,
    ReportVerdict Verdict,
    string? TransactionId,
    string? NotificationId,
    DateTimeOffset ReceivedAt,
    string? Note);
