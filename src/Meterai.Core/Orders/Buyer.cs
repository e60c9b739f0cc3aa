using System.Diagnostics.CodeAnalysis;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;

namespace Meterai.Core.Orders;

/// <summary>Who orders: an applicant buying stamps for their own documents, or a sales channel buying stock to resell.</summary>
public enum BuyerKind : short
{
    Applicant = 1,
    Channel = 2,
}

/// <summary>The buyer of an order and the ledger account its quota is credited to.</summary>
public readonly record struct Buyer(BuyerKind Kind, UInt128 Id)
{
    public static Buyer Applicant(UInt128 id) => new(BuyerKind.Applicant, id);

    public static Buyer Channel(UInt128 id) => new(BuyerKind.Channel, id);

    /// <summary>
    /// The account bought quota lands in: an applicant's user quota, or a channel's deposit (what it allocates from).
    /// The distribution chain's own accounts (<see cref="QuotaAccounts"/>), named the same on every node.
    /// </summary>
    public NewAccount QuotaAccount() => Kind switch
    {
        BuyerKind.Applicant => QuotaAccounts.ApplicantQuota(Id),
        BuyerKind.Channel => QuotaAccounts.ChannelDeposit(Id),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public override string ToString() => $"{Kind.ToWire()}:{Id}";
}

public static class BuyerKindNames
{
    public static string ToWire(this BuyerKind kind) => kind switch
    {
        BuyerKind.Applicant => "applicant",
        BuyerKind.Channel => "channel",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? wire, [NotNullWhen(true)] out BuyerKind? kind)
    {
        kind = wire switch
        {
            "applicant" => BuyerKind.Applicant,
            "channel" => BuyerKind.Channel,
            _ => null,
        };
        return kind is not null;
    }
}
