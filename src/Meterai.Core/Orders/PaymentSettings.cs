using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// How selling works on this deployment (the server reads them from <c>Payments:*</c>). Every duration has a default
/// that suits production; tests shorten them to seconds.
/// </summary>
public sealed record PaymentSettings
{
    /// <summary>The provider's name in the inbox key (one inbox row per provider, order and status).</summary>
    public string ProviderName { get; init; } = "gateway";

    /// <summary>Service fee per stamp of the built-in direct channel (applicants who registered themselves and buy from the issuer).</summary>
    public Rupiah DefaultServiceFee { get; init; } = Rupiah.Zero;

    /// <summary>Most stamps in one order.</summary>
    public int MaxQuantity { get; init; } = 1_000;

    /// <summary>How long the buyer has to pay; also the provider charge's expiry.</summary>
    public TimeSpan OrderExpiry { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Reconciliation asks the provider about an order still awaiting payment this long after it was created…</summary>
    public TimeSpan PendingCheckAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>…and then again after growing pauses, from this…</summary>
    public TimeSpan CheckBackoffBase { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>…up to this.</summary>
    public TimeSpan CheckBackoffCap { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Past the expiry by this much, an order the provider never saw (transaction_not_found) is expired here: clocks
    /// differ, and a charge answer may still be on its way.
    /// </summary>
    public TimeSpan ExpiryGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a claimed order or refund stays with the node that claimed it (if it dies, another takes over after).</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Orders or refunds claimed per round trip.</summary>
    public int ClaimBatch { get; init; } = 100;

    /// <summary>Status calls in flight at once from one node's reconciliation.</summary>
    public int ReconcileConcurrency { get; init; } = 8;

    /// <summary>How often a node's reconciliation worker runs a pass.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the settlement report is matched (one node at a time: a lease).</summary>
    public TimeSpan SettlementInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many WIB days back the settlement matcher reads (today and the days before).</summary>
    public int SettlementDays { get; init; } = 2;

    /// <summary>
    /// Longest a notification's challenge (the status API call) may take: the provider wants its answer within 5 s, and
    /// the database commit comes after.
    /// </summary>
    public TimeSpan ChallengeTimeout { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>How many challenges notifications may cause, per order and per sender (<see cref="ChallengeGate"/>).</summary>
    public ChallengeLimits Challenges { get; init; } = new();
}
