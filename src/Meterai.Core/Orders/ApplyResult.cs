using Meterai.Core.Ledger;

namespace Meterai.Core.Orders;

/// <summary>What applying a provider report decided.</summary>
public enum ReportVerdict
{
    /// <summary>The report moved the order (and credited it when it said paid): stored in the inbox.</summary>
    Applied,

    /// <summary>The inbox already holds this provider, order and status: nothing done (a duplicate or a replay).</summary>
    Duplicate,

    /// <summary>A status behind the one recorded (reordered or replayed): stored in the inbox, changes nothing.</summary>
    Stale,

    /// <summary>Would credit or contradicts what we recorded, and is not the provider's confirmed answer: ask the status API first.</summary>
    NeedsConfirmation,

    /// <summary>Refused (amount differs, a paid order reported expired): nothing written but an event.</summary>
    Refused,
}

/// <summary>The outcome of <see cref="IOrderStore.ApplyAsync"/> or <see cref="IOrderStore.RetryCreditAsync"/>.</summary>
/// <param name="Order">The order after the transaction (as it was, when nothing changed); null for an unknown order.</param>
/// <param name="Credit">The ledger's answer to the credit, when the transaction attempted one (ok / exists: credited).</param>
/// <param name="Code">For refusals and for why confirmation is needed: a stable code.</param>
public sealed record ApplyResult(ReportVerdict Verdict, Order? Order, TransferResult? Credit = null, string? Code = null, string? Message = null)
{
    public bool Credited => Credit is { } c && c.IsCommitted();
}
