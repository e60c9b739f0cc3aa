using System.Globalization;
using Meterai.Core.Common;

namespace Meterai.Core.Payments;

/// <summary>
/// An amount of money in whole Rupiah. The Rupiah has no minor unit in use, so a long holds every amount exactly;
/// gateways still write amounts as "10000.00", which <see cref="ParseGateway"/> reads strictly (never via floating
/// point: 0.1 + 0.2 must not decide whether a buyer paid).
/// </summary>
public readonly record struct Rupiah(long Value) : IComparable<Rupiah>
{
    /// <summary>18 digits always fit a long; the gateway format never needs more.</summary>
    private const int MaxIntegerDigits = 18;

    public static readonly Rupiah Zero = new(0);

    /// <summary>The gateway's wire form: whole Rupiah with two zero decimals, invariant culture ("10000.00").</summary>
    public string ToGatewayString() => Value.ToString(CultureInfo.InvariantCulture) + ".00";

    public override string ToString() => "Rp" + Value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');

    public int CompareTo(Rupiah other) => Value.CompareTo(other.Value);

    public static Rupiah operator +(Rupiah a, Rupiah b) => new(checked(a.Value + b.Value));

    public static Rupiah operator -(Rupiah a, Rupiah b) => new(checked(a.Value - b.Value));

    public static bool operator <(Rupiah a, Rupiah b) => a.Value < b.Value;

    public static bool operator >(Rupiah a, Rupiah b) => a.Value > b.Value;

    public static bool operator <=(Rupiah a, Rupiah b) => a.Value <= b.Value;

    public static bool operator >=(Rupiah a, Rupiah b) => a.Value >= b.Value;

    /// <summary>
    /// Reads "10000.00" or "10000": ASCII digits without sign, spaces, separators or exponent, no leading zero
    /// (except "0" itself), and, when there is a fraction, exactly ".00". Anything else is <c>amount_invalid</c>:
    /// a gateway that starts sending "10000.5" or "1e4" must be noticed, not rounded.
    /// </summary>
    public static Result<Rupiah> ParseGateway(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Invalid(text, "is empty");
        var integer = text.AsSpan();
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            if (text.AsSpan(dot) is not ".00") return Invalid(text, "must have no fraction or exactly \".00\" (whole Rupiah)");
            integer = text.AsSpan(0, dot);
        }

        if (integer.IsEmpty) return Invalid(text, "has no digits before the decimal point");
        if (integer.Length > MaxIntegerDigits) return Invalid(text, "is too large");
        foreach (var c in integer)
        {
            if (c is < '0' or > '9') return Invalid(text, "may hold only the digits 0-9 and \".00\"");
        }

        if (integer.Length > 1 && integer[0] == '0') return Invalid(text, "has a leading zero");
        return new Rupiah(long.Parse(integer, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static Error Invalid(string? text, string why) =>
        new(PaymentErrors.AmountInvalid, $"amount \"{text}\" {why}");
}
