using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Common;

/// <summary>
/// 128-bit ids derived deterministically from something else (an order, an idempotency key, a pending transfer), so
/// that two nodes deriving the id for the same event get the same id and collide in the database instead of applying
/// the event twice. SHA-256 over a domain-separated string, truncated to 128 bits.
/// </summary>
public static class DerivedId
{
    /// <param name="domain">A fixed, versioned purpose tag (e.g. "meterai/ledger/expiry-void/v1"); never reuse one for two purposes.</param>
    /// <param name="value">What the id is derived from.</param>
    public static UInt128 From(string domain, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        var tag = Encoding.UTF8.GetBytes(domain);
        var input = new byte[tag.Length + 1 + value.Length];
        tag.CopyTo(input, 0);
        input[tag.Length] = 0; // separator: a domain can never run into the value
        value.CopyTo(input.AsSpan(tag.Length + 1));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var id = BinaryPrimitives.ReadUInt128BigEndian(hash);
        // Zero is "no id" everywhere in the ledger; a hash of zero is astronomically unlikely but must not slip through.
        return id == UInt128.Zero ? UInt128.One : id;
    }

    public static UInt128 From(string domain, string value) => From(domain, Encoding.UTF8.GetBytes(value));

    public static UInt128 From(string domain, UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return From(domain, bytes);
    }
}
