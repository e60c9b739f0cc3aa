using System.Buffers.Binary;
using System.Security.Cryptography;
using Meterai.Core.Common;

namespace Meterai.Core.Ledger;

/// <summary>Ids for accounts and transfers.</summary>
public static class LedgerId
{
    private const string ExpiryVoidDomain = "meterai/ledger/expiry-void/v1";

    /// <summary>
    /// A fresh id: 48 bits of milliseconds since the Unix epoch, then 80 random bits (CSPRNG). Time-ordered ids keep
    /// the primary-key index appending at its right edge instead of touching a random page per insert.
    /// </summary>
    public static UInt128 New(IClock? clock = null)
    {
        var ms = (ulong)(clock ?? SystemClock.Instance).UtcNow.ToUnixTimeMilliseconds();
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        bytes[0] = (byte)(ms >> 40);
        bytes[1] = (byte)(ms >> 32);
        bytes[2] = (byte)(ms >> 24);
        bytes[3] = (byte)(ms >> 16);
        bytes[4] = (byte)(ms >> 8);
        bytes[5] = (byte)ms;
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>
    /// The id of the void that expires <paramref name="pendingId"/>. Every node sweeping the same pending transfer
    /// derives the same id, so two sweeps collide as an identical replay instead of voiding twice.
    /// </summary>
    public static UInt128 ExpiryVoidFor(UInt128 pendingId) => DerivedId.From(ExpiryVoidDomain, pendingId);
}
