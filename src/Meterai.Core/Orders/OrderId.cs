using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// An order's id: "MTR-" and 26 characters of Crockford base32 (A-Z and 0-9 without I, L, O, U) holding 128 random bits
/// from the CSPRNG. It exists before anything is charged and is the provider's order_id, so a retried charge, a
/// notification, a status answer and a settlement line all name the order by it. Unguessable: knowing one order's id
/// says nothing about another's, so an id in a URL does not let anyone enumerate orders.
/// </summary>
public readonly record struct OrderId
{
    public const string Prefix = "MTR-";
    public const int Length = 30;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private OrderId(string value) => Value = value;

    public string Value { get; }

    public static OrderId New()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(random);
        Span<char> chars = stackalloc char[Length];
        Prefix.AsSpan().CopyTo(chars);
        // 26 digits of 5 bits are 130 bits: the first digit carries only the top 3 of the 128.
        for (var i = Length - 1; i >= Prefix.Length; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new OrderId(new string(chars));
    }

    /// <summary>Accepts exactly what <see cref="New"/> produces (upper case), so ids from URLs cannot alias each other.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out OrderId? id)
    {
        id = null;
        if (text is null || text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        for (var i = Prefix.Length; i < Length; i++)
        {
            if (!Alphabet.Contains(text[i], StringComparison.Ordinal)) return false;
        }

        // The first digit holds 3 bits (0-7): anything larger would not fit 128 bits.
        if (text[Prefix.Length] > '7') return false;
        id = new OrderId(text);
        return OrderIds.IsValid(text);
    }

    public override string ToString() => Value;
}
