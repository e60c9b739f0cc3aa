using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;

namespace Meterai.Core.Distribution;

/// <summary>A committed distribution transfer and the balance it left where the stamps went.</summary>
public sealed record DistributionResult(UInt128 TransferId, long Stamps, bool Replayed);

/// <summary>
/// Issuing and distributing quota, all through the ledger: mint (minted → issuer stock), allocate against a
/// channel's deposits (issuer stock → channel deposit), sell (channel deposit → applicant quota), sell directly
/// (issuer stock → applicant quota). Each write's transfer id is derived from the caller and its Idempotency-Key, so
/// a retry answers the committed transfer instead of moving stamps twice, and a different request under the same key
/// is refused (<c>idempotency_key_reused</c>).
/// </summary>
public sealed class QuotaDistribution(ILedgerStore ledger, IChannelFundsStore funds, IChannelStore channels, IApplicantStore applicants, IClock clock)
{
    public const long MaxStampsPerRequest = 100_000_000;

    public static UInt128 TransferId(string operation, UInt128 callerId, string idempotencyKey) =>
        DerivedId.From($"meterai/distribution/{operation}/v1", PublicId.Format(callerId) + "\n" + idempotencyKey);

    /// <summary>Creates the issuer's stock account (idempotent; every node at start-up).</summary>
    public async Task EnsureIssuerAccountsAsync(CancellationToken ct = default)
    {
        var r = (await ledger.CreateAccountsAsync([QuotaAccounts.IssuerStock], ct).ConfigureAwait(false))[0];
        if (!r.IsCommitted()) throw new InvalidOperationException($"the issuer's stock account cannot be created: {r.Code()}");
    }

    public Task<Result<DistributionResult>> MintAsync(UInt128 operatorId, string key, long stamps, CancellationToken ct = default) =>
        TransferAsync(new Transfer(TransferId("mint", operatorId, key), SystemAccounts.Minted.Id, QuotaAccounts.IssuerStock.Id, stamps, TransferCode.Mint),
            DistributionErrors.IssuerStockInsufficient, ct);

    public async Task<Result<ChannelDeposit>> RecordDepositAsync(UInt128 operatorId, UInt128 channelId, string key, long amount, string? reference, CancellationToken ct = default)
    {
        if (amount is <= 0 or > 1_000_000_000_000) return new Error(DistributionErrors.AmountInvalid, "a deposit is a positive amount of Rupiah (at most 10^12)");
        var r = reference?.Trim();
        if (string.IsNullOrEmpty(r) || r.Length > 200) return new Error(DistributionErrors.ReferenceInvalid, "a deposit needs the payment's reference (1 to 200 characters)");
        if (await ChannelAsync(channelId, ct).ConfigureAwait(false) is { IsOk: false } missing) return missing.Error;
        return await funds.RecordDepositAsync(new ChannelDeposit(TransferId("deposit", operatorId, key), channelId, amount, r, operatorId, clock.UtcNow), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Allocates stamps to a channel, counted against its deposits at its price. The allocation is reserved first
    /// (under the channel's lock), then moved in the ledger, then settled; a retry (or the recovery pass) finishes a
    /// reservation left half-way. Errors: <c>deposit_insufficient</c>, <c>issuer_stock_insufficient</c>, …
    /// </summary>
    public async Task<Result<ChannelAllocation>> AllocateAsync(UInt128 operatorId, UInt128 channelId, string key, long stamps, CancellationToken ct = default)
    {
        if (StampsError(stamps) is { } bad) return bad;
        var channel = await ChannelAsync(channelId, ct).ConfigureAwait(false);
        if (!channel.IsOk) return channel.Error;
        var price = channel.Value.PricePerStamp;
        var reserved = await funds.ReserveAllocationAsync(
            new ChannelAllocation(TransferId("allocation", operatorId, key), channelId, stamps, price, checked(stamps * price), AllocationState.Reserved, operatorId, clock.UtcNow, null),
            ct).ConfigureAwait(false);
        if (!reserved.IsOk) return reserved.Error;
        var settled = await SettleAsync(reserved.Value, ct).ConfigureAwait(false);
        return settled.State == AllocationState.Failed
            ? new Error(settled.FailureCode ?? DistributionErrors.IssuerStockInsufficient, "the issuer's stock does not hold that many stamps; the deposit was not charged")
            : settled;
    }

    /// <summary>Finishes allocations whose request died between the reservation and the ledger (the recovery pass).</summary>
    public async Task<int> SettleStaleAllocationsAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        var stale = await funds.StaleReservedAsync(clock.UtcNow - olderThan, 100, ct).ConfigureAwait(false);
        foreach (var a in stale) await SettleAsync(a, ct).ConfigureAwait(false);
        return stale.Count;
    }

    /// <summary>A channel sells stamps from its deposit account to one of its applicants.</summary>
    public async Task<Result<DistributionResult>> SellAsync(UInt128 channelId, UInt128 applicantId, string key, long stamps, CancellationToken ct = default)
    {
        if (StampsError(stamps) is { } bad) return bad;
        var applicant = await applicants.GetAsync(applicantId, ct).ConfigureAwait(false);
        if (applicant is null || applicant.ChannelId != channelId) return new Error(IdentityErrors.ApplicantNotFound, "the channel has no such applicant");
        return await TransferAsync(new Transfer(TransferId("sale", channelId, key), QuotaAccounts.ChannelDepositId(channelId), QuotaAccounts.ApplicantQuotaId(applicantId),
            stamps, TransferCode.Sale), DistributionErrors.ChannelStampsInsufficient, ct).ConfigureAwait(false);
    }

    /// <summary>The issuer sells directly to an applicant (issuer stock → applicant quota): the payments area's crediting, or an admin's grant.</summary>
    public async Task<Result<DistributionResult>> SellDirectAsync(UInt128 callerId, UInt128 applicantId, string key, long stamps, CancellationToken ct = default)
    {
        if (StampsError(stamps) is { } bad) return bad;
        if (await applicants.GetAsync(applicantId, ct).ConfigureAwait(false) is null) return new Error(IdentityErrors.ApplicantNotFound, "no such applicant");
        return await TransferAsync(new Transfer(TransferId("direct-sale", callerId, key), QuotaAccounts.IssuerStock.Id, QuotaAccounts.ApplicantQuotaId(applicantId),
            stamps, TransferCode.Sale), DistributionErrors.IssuerStockInsufficient, ct).ConfigureAwait(false);
    }

    private async Task<ChannelAllocation> SettleAsync(ChannelAllocation a, CancellationToken ct)
    {
        if (a.State != AllocationState.Reserved) return a;
        var transfer = new Transfer(a.Id, QuotaAccounts.IssuerStock.Id, QuotaAccounts.ChannelDepositId(a.ChannelId), a.Stamps, TransferCode.ChannelDeposit);
        var result = (await ledger.CreateTransfersAsync([transfer], ct).ConfigureAwait(false))[0];
        var state = result.IsCommitted() ? AllocationState.Posted : AllocationState.Failed;
        var code = result == TransferResult.ExceedsCredits ? DistributionErrors.IssuerStockInsufficient : result.Code();
        return await funds.SettleAllocationAsync(a.Id, state, state == AllocationState.Failed ? code : null, ct).ConfigureAwait(false) ?? a;
    }

    private async Task<Result<DistributionResult>> TransferAsync(Transfer t, string insufficientCode, CancellationToken ct)
    {
        if (StampsError(t.Amount) is { } bad) return bad;
        var result = (await ledger.CreateTransfersAsync([t], ct).ConfigureAwait(false))[0];
        return result switch
        {
            TransferResult.Ok or TransferResult.Exists => new DistributionResult(t.Id, t.Amount, result == TransferResult.Exists),
            TransferResult.TransferIdReused => FundsRules.Reused(),
            TransferResult.ExceedsCredits => new Error(insufficientCode, "not enough stamps where they come from"),
            _ => new Error(result.Code(), $"the ledger refused the transfer: {result.Code()}"),
        };
    }

    private async Task<Result<Channel>> ChannelAsync(UInt128 channelId, CancellationToken ct) =>
        await channels.GetAsync(channelId, ct).ConfigureAwait(false) is { } c && c.Id != Channel.DirectId ? c : new Error(IdentityErrors.ChannelNotFound, "no such channel");

    private static Error? StampsError(long stamps) =>
        stamps is > 0 and <= MaxStampsPerRequest ? null : new Error(DistributionErrors.StampsInvalid, $"stamps is a whole number from 1 to {MaxStampsPerRequest:N0}");
}
