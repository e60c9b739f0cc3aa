using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>A buyer's request for stamps, as the HTTP layer hands it over (the buyer comes from authentication).</summary>
/// <param name="ChannelId">The channel whose price applies: the buyer itself for a channel, an applicant's channel (<c>direct</c> for self-registered ones).</param>
/// <param name="IdempotencyKey">The client's Idempotency-Key: the same key from the same buyer returns the same order.</param>
public sealed record OrderRequest(Buyer Buyer, UInt128 ChannelId, int Quantity, PaymentMethod Method, string? Bank, string? IdempotencyKey)
{
    public const int MaxIdempotencyKeyLength = 100;

    private static readonly string[] Banks = ["bca", "bni", "bri", "mandiri", "permata"];

    public Error? Validate(int maxQuantity)
    {
        if (Quantity < 1 || Quantity > maxQuantity) return new Error(OrderErrors.QuantityInvalid, $"quantity must be between 1 and {maxQuantity}");
        if (Bank is not null)
        {
            if (Method != PaymentMethod.VirtualAccount) return new Error(OrderErrors.BankInvalid, "a bank goes only with the va method");
            if (!Banks.Contains(Bank, StringComparer.Ordinal)) return new Error(OrderErrors.BankInvalid, $"bank must be one of {string.Join(", ", Banks)}");
        }

        if (IdempotencyKey is not null && !IsValidKey(IdempotencyKey))
        {
            return new Error(OrderErrors.IdempotencyKeyInvalid, $"an idempotency key is 1-{MaxIdempotencyKeyLength} printable ASCII characters");
        }

        return null;
    }

    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');
}
