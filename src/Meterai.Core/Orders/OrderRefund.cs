using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>Where a refund of unused stamps stands. Stored as a small integer; values never change.</summary>
public enum RefundState : short
{
    /// <summary>The quota was taken back (reversing transfer committed); the provider has not confirmed the money yet.</summary>
    Reversed = 1,

    /// <summary>The provider refunded the money (its receipt is recorded).</summary>
    Completed = 2,

    /// <summary>The provider refused for good (e.g. refund_not_allowed): an operator must look; the quota stays taken back.</summary>
    Failed = 3,
}

public static class RefundStateNames
{
    public static string ToWire(this RefundState state) => state switch
    {
        RefundState.Reversed => "reversed",
        RefundState.Completed => "completed",
        RefundState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}

/// <summary>
/// A refund of unused stamps: first the reversing transfer (in the same transaction as this record), then the
/// provider's refund, idempotent by <see cref="Id"/> (the provider's refund_key). A crash between the two leaves a
/// <see cref="RefundState.Reversed"/> record that the reconciliation worker completes.
/// </summary>
public sealed record OrderRefund(
    string Id,
    OrderId OrderId,
    int Quantity,
    Rupiah Amount,
    RefundState State,
    UInt128 TransferId,
    string? Reason,
    string? RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    int Attempts,
    DateTimeOffset NextAttemptAt);

/// <param name="Id">The refund key (see <see cref="RefundIds"/>): a retry with the same key is the same refund.</param>
public sealed record NewRefund(string Id, OrderId OrderId, int Quantity, string? Reason, string? RequestedBy, DateTimeOffset CreatedAt);

/// <summary>Refund keys: "RF-" and 26 Crockford base32 characters, within the gateway's 64 characters.</summary>
public static class RefundIds
{
    private const string Domain = "meterai/payments/refund-key/v1";
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The refund key for a client's idempotency key on an order: the same pair always names the same refund.</summary>
    public static string For(OrderId order, string clientKey) => Encode(DerivedId.From(Domain, order.Value + "\n" + clientKey));

    /// <summary>A fresh refund key, for a request without an idempotency key.</summary>
    public static string New()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Encode(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(random));
    }

    private static string Encode(UInt128 value)
    {
        Span<char> chars = stackalloc char[29];
        "RF-".AsSpan().CopyTo(chars);
        for (var i = chars.Length - 1; i >= 3; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
