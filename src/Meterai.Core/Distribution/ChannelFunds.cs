using Meterai.Core.Common;

namespace Meterai.Core.Distribution;

/// <summary>Money a channel paid the issuer for quota, recorded by the issuer admin.</summary>
/// <param name="Id">Derived from the admin's Idempotency-Key: recording it again is a replay.</param>
/// <param name="Amount">Rupiah, &gt; 0.</param>
/// <param name="Reference">The payment's reference (bank transfer, invoice).</param>
public sealed record ChannelDeposit(UInt128 Id, UInt128 ChannelId, long Amount, string Reference, UInt128 RecordedBy, DateTimeOffset RecordedAt);

/// <summary>Where an allocation stands. Stored as a small integer; values never change.</summary>
public enum AllocationState : short
{
    /// <summary>Counted against the deposits; the ledger transfer is being made.</summary>
    Reserved = 1,

    /// <summary>The stamps are in the channel's deposit account.</summary>
    Posted = 2,

    /// <summary>The ledger refused (the issuer's stock ran short); no longer counted against the deposits.</summary>
    Failed = 3,
}

/// <summary>Stamps moved from the issuer's stock to a channel, paid from its deposits at the channel's price then.</summary>
/// <param name="Id">Derived from the admin's Idempotency-Key; also the ledger transfer's id.</param>
/// <param name="Amount">Rupiah counted against the deposits: <paramref name="Stamps"/> × <paramref name="PricePerStamp"/>.</param>
public sealed record ChannelAllocation(UInt128 Id, UInt128 ChannelId, long Stamps, long PricePerStamp, long Amount, AllocationState State, UInt128 RecordedBy, DateTimeOffset RecordedAt, string? FailureCode);

/// <summary>A channel's money: deposited, allocated (reserved or posted), and what is left to allocate.</summary>
public sealed record ChannelFundsBalance(long Deposited, long Allocated)
{
    public long Available => Deposited - Allocated;
}

/// <summary>Deposits and allocations. Allocations are checked against the deposits under the channel's lock.</summary>
public interface IChannelFundsStore
{
    /// <summary>Records a deposit; the same id again with the same body is a replay, with another body <c>idempotency_key_reused</c>.</summary>
    Task<Result<ChannelDeposit>> RecordDepositAsync(ChannelDeposit deposit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves an allocation if the channel's available money covers its amount (<c>deposit_insufficient</c>
    /// otherwise); the same id again with the same stamps answers the stored allocation, with other stamps
    /// <c>idempotency_key_reused</c>.
    /// </summary>
    Task<Result<ChannelAllocation>> ReserveAllocationAsync(ChannelAllocation allocation, CancellationToken cancellationToken = default);

    /// <summary>Moves a reserved allocation to posted or failed (no-op when it already left reserved).</summary>
    Task<ChannelAllocation?> SettleAllocationAsync(UInt128 id, AllocationState state, string? failureCode, CancellationToken cancellationToken = default);

    Task<ChannelFundsBalance> BalanceAsync(UInt128 channelId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChannelDeposit>> DepositsAsync(UInt128 channelId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChannelAllocation>> AllocationsAsync(UInt128 channelId, CancellationToken cancellationToken = default);

    /// <summary>Allocations still reserved that were recorded before <paramref name="before"/> (their request died half-way).</summary>
    Task<IReadOnlyList<ChannelAllocation>> StaleReservedAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);
}

public static class DistributionErrors
{
    public const string DepositInsufficient = "deposit_insufficient";
    public const string IssuerStockInsufficient = "issuer_stock_insufficient";
    public const string ChannelStampsInsufficient = "channel_stamps_insufficient";
    public const string AmountInvalid = "amount_invalid";
    public const string StampsInvalid = "stamps_invalid";
    public const string ReferenceInvalid = "reference_invalid";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
}

/// <summary>The decisions both funds stores apply.</summary>
public static class FundsRules
{
    public static bool SameDeposit(ChannelDeposit stored, ChannelDeposit requested) =>
        stored.ChannelId == requested.ChannelId && stored.Amount == requested.Amount && stored.Reference == requested.Reference;

    /// <summary>A retried allocation is the same request when it names the same channel and number of stamps (the price may have changed since).</summary>
    public static bool SameAllocation(ChannelAllocation stored, ChannelAllocation requested) =>
        stored.ChannelId == requested.ChannelId && stored.Stamps == requested.Stamps;

    public static Error? Refuse(ChannelFundsBalance balance, ChannelAllocation a) =>
        a.Amount <= balance.Available
            ? null
            : new Error(DistributionErrors.DepositInsufficient,
                $"the channel's deposits cover Rp{balance.Available:N0} more; {a.Stamps} stamps at Rp{a.PricePerStamp:N0} cost Rp{a.Amount:N0}");

    public static Error Reused() => new(DistributionErrors.IdempotencyKeyReused, "this Idempotency-Key was already used for another request");
}
