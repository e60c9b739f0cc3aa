using System.Globalization;
using System.Text;
using Meterai.Core.Payments;

namespace Meterai.PaySim.Transactions;

/// <summary>
/// A dynamic QRIS payload in the EMVCo merchant-presented TLV format (two-digit tag, two-digit length, value), ending
/// with tag 63: a CRC-16/CCITT-FALSE over everything before it, "6304" included. It is the sandbox's own: the
/// merchant account template (tag 26) names "ID.METERAI.PAYSIM", which no real wallet pays, but the shape is what a
/// wallet would parse: amount, currency 360 (IDR), country ID, merchant name and city, and the order as bill number.
/// </summary>
public static class QrisPayload
{
    private const string MerchantName = "METERAI PAYSIM";
    private const string MerchantCity = "JAKARTA";

    /// <summary>ISO 18245 merchant category 9311: tax payments, which stamp duty is.</summary>
    private const string MerchantCategory = "9311";

    public static string Build(string merchantId, string orderId, string transactionId, Rupiah amount)
    {
        var payload = new StringBuilder()
            .Append(Tlv("00", "01"))                 // payload format indicator
            .Append(Tlv("01", "12"))                 // dynamic: one payment, amount included
            .Append(Tlv("26", Tlv("00", "ID.METERAI.PAYSIM") + Tlv("01", Clip(merchantId, 25)) + Tlv("03", "UMI")))
            .Append(Tlv("52", MerchantCategory))
            .Append(Tlv("53", "360"))
            .Append(Tlv("54", amount.Value.ToString(CultureInfo.InvariantCulture)))
            .Append(Tlv("58", "ID"))
            .Append(Tlv("59", MerchantName))
            .Append(Tlv("60", MerchantCity))
            .Append(Tlv("62", Tlv("01", Clip(orderId, 25)) + Tlv("05", Clip(transactionId.Replace("-", ""), 25))))
            .Append("6304");
        var crc = Crc16Ccitt.Compute(payload.ToString());
        return payload.Append(crc.ToString("X4", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Reads the top-level tags back (for tests and the pay page); null when the TLV structure or the CRC is wrong.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(string payload)
    {
        if (payload.Length < 8 || !payload.AsSpan(payload.Length - 8).StartsWith("6304")) return null;
        var crc = Crc16Ccitt.Compute(payload.AsSpan(0, payload.Length - 4)).ToString("X4", CultureInfo.InvariantCulture);
        if (!string.Equals(crc, payload[^4..], StringComparison.Ordinal)) return null;
        var tags = new Dictionary<string, string>();
        var i = 0;
        while (i < payload.Length)
        {
            if (i + 4 > payload.Length || !int.TryParse(payload.AsSpan(i + 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return null;
            if (i + 4 + length > payload.Length) return null;
            tags[payload.Substring(i, 2)] = payload.Substring(i + 4, length);
            i += 4 + length;
        }

        return tags;
    }

    private static string Tlv(string tag, string value)
    {
        if (value.Length > 99) throw new ArgumentException($"QRIS field {tag} is longer than 99 characters", nameof(value));
        return tag + value.Length.ToString("D2", CultureInfo.InvariantCulture) + value;
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}
