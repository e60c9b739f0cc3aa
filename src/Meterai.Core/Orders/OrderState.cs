using System.Diagnostics.CodeAnalysis;

namespace Meterai.Core.Orders;

/// <summary>
/// Where an order stands. Stored as a small integer; values never change. States only move forward:
/// <code>
///   created ─> pending_payment ─> paid ─> fulfilled ─> refunded
///      │              │            ▲
///      └──────────────┴─> expired ─┘   (a payment that settles after expiry: see OrderRules)
/// </code>
/// </summary>
public enum OrderState : short
{
    /// <summary>Recorded, not yet charged at the provider (or the charge's answer was lost).</summary>
    Created = 1,

    /// <summary>Charged: the buyer has a QR string or a VA number and may pay until the expiry.</summary>
    PendingPayment = 2,

    /// <summary>The provider took the money, and the quota could not be credited yet (issuer stock short, account closed).</summary>
    Paid = 3,

    /// <summary>Paid and the quota credited (in the same transaction that recorded the payment).</summary>
    Fulfilled = 4,

    /// <summary>Not paid before the expiry (the provider said expire, cancel or deny, or never saw a charge).</summary>
    Expired = 5,

    /// <summary>All of the order's quota was given back (or the provider refunded it all).</summary>
    Refunded = 6,
}

public static class OrderStateNames
{
    public static IReadOnlyList<OrderState> All { get; } =
        [OrderState.Created, OrderState.PendingPayment, OrderState.Paid, OrderState.Fulfilled, OrderState.Expired, OrderState.Refunded];

    public static string ToWire(this OrderState state) => state switch
    {
        OrderState.Created => "created",
        OrderState.PendingPayment => "pending_payment",
        OrderState.Paid => "paid",
        OrderState.Fulfilled => "fulfilled",
        OrderState.Expired => "expired",
        OrderState.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? wire, [NotNullWhen(true)] out OrderState? state)
    {
        state = All.Cast<OrderState?>().FirstOrDefault(s => s!.Value.ToWire() == wire);
        return state is not null;
    }

    /// <summary>The order may still be paid and so needs the provider's word on it.</summary>
    public static bool AwaitsPayment(this OrderState state) => state is OrderState.Created or OrderState.PendingPayment;
}
