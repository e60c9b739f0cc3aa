using Meterai.Core.Ledger;

namespace Meterai.Core.Distribution;

/// <summary>
/// The ledger accounts of the distribution chain, named the same way on every node
/// (<see cref="SystemAccounts.AccountIdFor"/>): the issuer's stock, each channel's deposit, each applicant's quota.
/// Every one of them holds somebody's stamps, so none may go below zero.
/// </summary>
public static class QuotaAccounts
{
    /// <summary>The one issuer (the stamp-duty authority this installation serves).</summary>
    public static readonly UInt128 IssuerId = 1;

    public static readonly NewAccount IssuerStock = Holder(OwnerKind.Issuer, IssuerId, AccountCode.IssuerStock);

    public static NewAccount ChannelDeposit(UInt128 channelId) => Holder(OwnerKind.Channel, channelId, AccountCode.ChannelDeposit);

    public static NewAccount ApplicantQuota(UInt128 applicantId) => Holder(OwnerKind.User, applicantId, AccountCode.UserQuota);

    public static UInt128 ChannelDepositId(UInt128 channelId) => SystemAccounts.AccountIdFor(OwnerKind.Channel, channelId, AccountCode.ChannelDeposit);

    public static UInt128 ApplicantQuotaId(UInt128 applicantId) => SystemAccounts.AccountIdFor(OwnerKind.User, applicantId, AccountCode.UserQuota);

    private static NewAccount Holder(OwnerKind kind, UInt128 owner, int code) =>
        new(SystemAccounts.AccountIdFor(kind, owner, code), kind, owner, code, AccountFlags.DebitsMustNotExceedCredits);
}
