using System.Diagnostics.CodeAnalysis;

namespace Meterai.Core.Payments;

/// <summary>
/// The provider's fraud screening verdict. QRIS and virtual accounts are pushed by the payer, so the provider always
/// says <see cref="Accept"/> for them; <see cref="Challenge"/> matters for card-like captures only.
/// </summary>
public enum FraudStatus
{
    Accept,
    Challenge,
    Deny,
}

public static class FraudStatusNames
{
    public static string ToWire(this FraudStatus status) => status switch
    {
        FraudStatus.Accept => "accept",
        FraudStatus.Challenge => "challenge",
        FraudStatus.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? wire, [NotNullWhen(true)] out FraudStatus? status)
    {
        status = wire switch
        {
            "accept" => FraudStatus.Accept,
            "challenge" => FraudStatus.Challenge,
            "deny" => FraudStatus.Deny,
            _ => null,
        };
        return status is not null;
    }
}
