using System.Diagnostics.CodeAnalysis;

namespace Meterai.Core.Payments;

/// <summary>How the buyer pays: scanning a QRIS code, or transferring to a virtual account number at a bank.</summary>
public enum PaymentMethod
{
    Qris,
    VirtualAccount,
}

/// <summary>The gateway's names for the methods ("payment_type" on the wire).</summary>
public static class PaymentMethodNames
{
    public const string Qris = "qris";
    public const string VirtualAccount = "bank_transfer";

    public static string ToWire(this PaymentMethod method) => method switch
    {
        PaymentMethod.Qris => Qris,
        PaymentMethod.VirtualAccount => VirtualAccount,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static bool TryParse(string? wire, [NotNullWhen(true)] out PaymentMethod? method)
    {
        method = wire switch
        {
            Qris => PaymentMethod.Qris,
            VirtualAccount => PaymentMethod.VirtualAccount,
            _ => null,
        };
        return method is not null;
    }
}
