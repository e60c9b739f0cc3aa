using System.Text.Json;
using Meterai.Core.Common;

namespace Meterai.Core.Payments;

/// <summary>
/// Reads a notification body (JSON, snake_case) into a <see cref="PaymentNotification"/> or an error:
/// <c>malformed_notification</c> (not the contract's shape), <c>signature_invalid</c> (forged, or signed with another
/// key). The signature is checked before any field value is trusted; unknown members are ignored so the provider may
/// add fields.
/// </summary>
public static class PaymentNotificationParser
{
    /// <summary>Far above any real notification; a bigger body is not one of ours.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static Result<PaymentNotification> Parse(string body, string serverKey) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(body ?? ""), serverKey);

    public static Result<PaymentNotification> Parse(ReadOnlySpan<byte> utf8Json, string serverKey)
    {
        if (utf8Json.Length > MaxBodyBytes) return Malformed($"body is larger than {MaxBodyBytes} bytes");
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 8 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return Malformed("body is not JSON: " + e.Message);
        }

        using (doc)
        {
            return Read(doc.RootElement, serverKey);
        }
    }

    private static Result<PaymentNotification> Read(JsonElement root, string serverKey)
    {
        if (root.ValueKind != JsonValueKind.Object) return Malformed("body is not a JSON object");
        string? missing = null;
        string Required(string name)
        {
            var v = Optional(root, name);
            if (string.IsNullOrEmpty(v)) missing ??= name;
            return v ?? "";
        }

        var orderId = Required("order_id");
        var statusCode = Required("status_code");
        var grossAmount = Required("gross_amount");
        var signature = Required("signature_key");
        var statusText = Required("transaction_status");
        var transactionId = Required("transaction_id");
        var paymentTypeText = Required("payment_type");
        var transactionTimeText = Required("transaction_time");
        if (missing is not null) return Malformed($"\"{missing}\" is missing, empty or not a string");
        if (HasWrongType(root, out var wrong)) return Malformed($"\"{wrong}\" is not a string");
        // Cheap before the hash: no gateway sends an order id outside its 1-64 character alphabet.
        if (!OrderIds.IsValid(orderId)) return Malformed("order_id is not 1-64 characters of A-Z a-z 0-9 - _ . ~");

        if (!NotificationSignature.Verify(orderId, statusCode, grossAmount, serverKey, signature))
        {
            return Result<PaymentNotification>.Fail(PaymentErrors.SignatureInvalid,
                $"signature_key of the notification for order {orderId} does not match SHA-512(order_id + status_code + gross_amount + server key)");
        }

        var amount = Rupiah.ParseGateway(grossAmount);
        if (!amount.IsOk) return Malformed("gross_amount: " + amount.Error.Message);
        if (!TransactionStatusNames.TryParse(statusText, out var status)) return Malformed($"unknown transaction_status \"{statusText}\"");
        if (status.Value.StatusCode() != statusCode)
        {
            return Malformed($"status_code \"{statusCode}\" does not go with transaction_status \"{statusText}\" (expected \"{status.Value.StatusCode()}\")");
        }

        if (!PaymentMethodNames.TryParse(paymentTypeText, out var method)) return Malformed($"unknown payment_type \"{paymentTypeText}\"");
        if (!GatewayTime.TryParse(transactionTimeText, out var transactionTime)) return Malformed($"transaction_time \"{transactionTimeText}\" is not yyyy-MM-ddTHH:mm:ss+07:00");

        FraudStatus? fraud = null;
        if (Optional(root, "fraud_status") is { } fraudText)
        {
            if (!FraudStatusNames.TryParse(fraudText, out fraud)) return Malformed($"unknown fraud_status \"{fraudText}\"");
        }

        DateTimeOffset? settlementTime = null;
        if (Optional(root, "settlement_time") is { } settlementText)
        {
            if (!GatewayTime.TryParse(settlementText, out var t)) return Malformed($"settlement_time \"{settlementText}\" is not yyyy-MM-ddTHH:mm:ss+07:00");
            settlementTime = t;
        }

        Rupiah? refunded = null;
        if (Optional(root, "refunded_amount") is { } refundText)
        {
            var r = Rupiah.ParseGateway(refundText);
            if (!r.IsOk) return Malformed("refunded_amount: " + r.Error.Message);
            refunded = r.Value;
        }

        return new PaymentNotification(orderId, transactionId, statusCode, amount.Value, grossAmount, status.Value, fraud,
            method.Value, transactionTime, settlementTime, refunded, Optional(root, "notification_id"), signature);
    }

    private static readonly string[] StringMembers =
    [
        "order_id", "status_code", "gross_amount", "signature_key", "transaction_status", "transaction_id", "payment_type",
        "transaction_time", "fraud_status", "settlement_time", "refunded_amount", "notification_id",
    ];

    /// <summary>A member of the contract sent as a number or an object (e.g. gross_amount: 10000) is refused, not coerced.</summary>
    private static bool HasWrongType(JsonElement root, out string member)
    {
        foreach (var name in StringMembers)
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                member = name;
                return true;
            }
        }

        member = "";
        return false;
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Result<PaymentNotification> Malformed(string why) =>
        Result<PaymentNotification>.Fail(PaymentErrors.MalformedNotification, why);
}
