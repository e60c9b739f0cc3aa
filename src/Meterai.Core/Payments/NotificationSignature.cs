using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Payments;

/// <summary>
/// The gateway's notification signature: lowercase hex of SHA-512(order_id + status_code + gross_amount + server key),
/// over the strings exactly as sent (the amount as "10000.00", not re-formatted). Only the provider and the merchant
/// know the server key, so a valid signature shows the notification came from the provider; it does not show the
/// notification is current, which is why the crediting side still challenges it with the status API.
/// </summary>
public static class NotificationSignature
{
    public static string Compute(string orderId, string statusCode, string grossAmount, string serverKey)
    {
        var bytes = Encoding.UTF8.GetBytes(orderId + statusCode + grossAmount + serverKey);
        return Convert.ToHexStringLower(SHA512.HashData(bytes));
    }

    /// <summary>
    /// Compares in constant time, so that response timing does not reveal how many leading characters of a forged
    /// signature were right. Upper-case hex is accepted; anything that is not 128 hex digits is refused.
    /// </summary>
    public static bool Verify(string orderId, string statusCode, string grossAmount, string serverKey, string? signatureKey)
    {
        if (signatureKey is null || signatureKey.Length != SHA512.HashSizeInBytes * 2) return false;
        Span<byte> given = stackalloc byte[SHA512.HashSizeInBytes];
        if (Convert.FromHexString(signatureKey, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != given.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(Encoding.UTF8.GetBytes(orderId + statusCode + grossAmount + serverKey), expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
