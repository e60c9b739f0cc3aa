using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// One row of the payment inbox: a provider status recorded for an order, at most once per (provider, order, status).
/// The unique key is what makes a duplicated, replayed or concurrently processed notification harmless.
/// </summary>
/// <param name="Confirmed">The provider's confirmed word (status API, or the answer to our own call); every row written
/// since issue 10 is. A false row is a notification the old intake applied on its word.</param>
public sealed record InboxEntry(
    string Provider,
    OrderId OrderId,
    TransactionStatus Status,
    ReportSource Source,
    ReportVerdict Verdict,
    string? TransactionId,
    string? NotificationId,
    DateTimeOffset ReceivedAt,
    string? Note,
    bool Confirmed);
