using System.Text.Json;
using Meterai.Core.Payments;

namespace Meterai.PaySim.Transactions;

/// <summary>
/// The transaction members shared by the status API's answer and the notification body (docs/payments.md), written
/// in one fixed order. Both carry signature_key, computed from the very strings written here.
/// </summary>
public static class TransactionJson
{
    public static void WriteMembers(Utf8JsonWriter json, SimTransaction t, string serverKey)
    {
        var statusCode = t.Status.StatusCode();
        var gross = t.GrossAmount.ToGatewayString();
        json.WriteString("status_code", statusCode);
        json.WriteString("transaction_id", t.TransactionId);
        json.WriteString("order_id", t.OrderId);
        json.WriteString("merchant_id", t.MerchantId);
        json.WriteString("payment_type", t.Method.ToWire());
        json.WriteString("gross_amount", gross);
        json.WriteString("currency", "IDR");
        json.WriteString("transaction_status", t.Status.ToWire());
        if (t.Fraud is { } fraud) json.WriteString("fraud_status", fraud.ToWire());
        json.WriteString("transaction_time", GatewayTime.ToWire(t.TransactionTime));
        json.WriteString("expiry_time", GatewayTime.ToWire(t.ExpiryTime));
        if (t.SettlementTime is { } settled) json.WriteString("settlement_time", GatewayTime.ToWire(settled));
        if (t.Bank is not null) json.WriteString("bank", t.Bank);
        if (t.VaNumber is not null) json.WriteString("va_number", t.VaNumber);
        if (t.RefundedAmount > Rupiah.Zero) json.WriteString("refunded_amount", t.RefundedAmount.ToGatewayString());
        json.WriteString("signature_key", NotificationSignature.Compute(t.OrderId, statusCode, gross, serverKey));
    }

    /// <summary>The notification body for the transaction as it is now (its content is fixed when it enters the outbox).</summary>
    public static string NotificationBody(SimTransaction t, string serverKey, string notificationId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            json.WriteStartObject();
            json.WriteString("notification_id", notificationId);
            json.WriteString("status_message", "paysim notification: " + t.Status.ToWire());
            WriteMembers(json, t, serverKey);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
