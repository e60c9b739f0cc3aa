using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;

namespace Meterai.Server.Distribution;

public sealed record StampsRequest(long? Stamps);

public sealed record DepositRequest(long? Amount, string? Reference);

public sealed record ChannelApplicantRequest(string? ExternalRef);

/// <summary>An account's stamps as the ledger has them: spendable, held by reservations in progress, and spent or moved on.</summary>
public sealed record QuotaBalance(long Available, long Reserved, long Received, long Used)
{
    public static QuotaBalance From(Account? a) =>
        a is null ? new QuotaBalance(0, 0, 0, 0) : new QuotaBalance(a.Available, a.DebitsPending, a.CreditsPosted, a.DebitsPosted);
}

public sealed record TransferResponse(string TransferId, long Stamps, bool Replayed, QuotaBalance Balance);

public sealed record IssuerResponse(long Minted, QuotaBalance Stock, long Consumed, long Reserved, long Refunded);

public sealed record DepositResponse(string Id, string ChannelId, long Amount, string Reference, DateTimeOffset RecordedAt)
{
    public static DepositResponse From(ChannelDeposit d) => new(PublicId.Format(d.Id), PublicId.Format(d.ChannelId), d.Amount, d.Reference, d.RecordedAt);
}

public sealed record AllocationResponse(string Id, string ChannelId, long Stamps, long PricePerStamp, long Amount, string State, DateTimeOffset RecordedAt, string? FailureCode)
{
    public static AllocationResponse From(ChannelAllocation a) => new(PublicId.Format(a.Id), PublicId.Format(a.ChannelId), a.Stamps, a.PricePerStamp, a.Amount,
        a.State.ToString().ToLowerInvariant(), a.RecordedAt, a.FailureCode);
}

/// <summary>A channel's money (Rupiah) and stamps (ledger).</summary>
public sealed record ChannelFundsResponse(string ChannelId, long PricePerStamp, long Deposited, long Allocated, long AvailableMoney, QuotaBalance Stamps,
    IReadOnlyList<DepositResponse> Deposits, IReadOnlyList<AllocationResponse> Allocations);

public sealed record ApplicantResponse(string Id, string ChannelId, string? ExternalRef, string? Email, string? Phone, string Status, DateTimeOffset CreatedAt, QuotaBalance Quota)
{
    public static ApplicantResponse From(Applicant a, Account? quota) => new(PublicId.Format(a.Id), PublicId.Format(a.ChannelId), a.ExternalRef, a.Email, a.Phone,
        a.Status switch { ApplicantStatus.Active => "active", ApplicantStatus.PendingVerification => "pending_verification", _ => "disabled" }, a.CreatedAt, QuotaBalance.From(quota));
}
