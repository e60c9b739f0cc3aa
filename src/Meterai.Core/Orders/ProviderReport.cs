using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>How a provider status reached us; stored with its inbox row.</summary>
public enum ReportSource : short
{
    /// <summary>The answer to our charge (pending).</summary>
    Charge = 1,

    /// <summary>An HTTP notification (signature checked; challenged with the status API when it would credit).</summary>
    Notification = 2,

    /// <summary>The reconciliation worker's status API call about an order pending too long.</summary>
    Reconciliation = 3,

    /// <summary>The settlement report named the order; the status API confirmed it.</summary>
    SettlementReport = 4,

    /// <summary>An operator's manual re-check through the status API.</summary>
    Recheck = 5,
}

public static class ReportSourceNames
{
    public static string ToWire(this ReportSource source) => source switch
    {
        ReportSource.Charge => "charge",
        ReportSource.Notification => "notification",
        ReportSource.Reconciliation => "reconciliation",
        ReportSource.SettlementReport => "settlement_report",
        ReportSource.Recheck => "recheck",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}

/// <summary>
/// One statement of the provider about an order, to be applied in the one transaction (<see cref="IOrderStore.ApplyAsync"/>).
/// </summary>
/// <param name="Provider">The provider's name (the inbox is unique per provider, order and status).</param>
/// <param name="Confirmed">
/// True when this is the provider's current answer (the status API, which is signed, or a notification the status API
/// confirmed). An unconfirmed report may move an order only where a wrong move costs nothing (pending, expiry of an
/// unpaid order); crediting and contradictions need a confirmed one.
/// </param>
/// <param name="Charge">With <see cref="ReportSource.Charge"/>: what the buyer pays with.</param>
/// <param name="Note">Why, when it is not self-evident (e.g. "transaction_not_found past expiry").</param>
public sealed record ProviderReport(
    string Provider,
    OrderId OrderId,
    TransactionStatus Status,
    FraudStatus? Fraud,
    Rupiah GrossAmount,
    string? TransactionId,
    ReportSource Source,
    bool Confirmed,
    DateTimeOffset? SettlementTime = null,
    string? NotificationId = null,
    OrderCharge? Charge = null,
    string? Note = null)
{
    public bool WasPaid => TransactionStatusRules.WasPaid(Status, Fraud);

    public static ProviderReport FromTruth(string provider, OrderId orderId, ProviderTransaction truth, ReportSource source, string? notificationId = null) =>
        new(provider, orderId, truth.Status, truth.Fraud, truth.GrossAmount, truth.TransactionId, source, Confirmed: true, truth.SettlementTime, notificationId);

    public static ProviderReport FromNotification(string provider, OrderId orderId, PaymentNotification n) =>
        new(provider, orderId, n.Status, n.Fraud, n.GrossAmount, n.TransactionId, ReportSource.Notification, Confirmed: false, n.SettlementTime, n.NotificationId);
}
