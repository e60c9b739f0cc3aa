namespace Meterai.Core.Payments;

/// <summary>
/// The order ids a gateway accepts: 1–64 characters of A-Z a-z 0-9 and "-_.~", so they can stand in a URL path
/// (/v2/{order_id}/status) and in the signed string without escaping.
/// </summary>
public static class OrderIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? orderId)
    {
        if (string.IsNullOrEmpty(orderId) || orderId.Length > MaxLength) return false;
        if (orderId.Trim('.').Length == 0) return false; // "." and ".." are path segments, not ids
        foreach (var c in orderId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')) return false;
        }

        return true;
    }
}
