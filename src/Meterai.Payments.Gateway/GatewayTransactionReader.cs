using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Payments.Gateway;

/// <summary>
/// Reads the gateway's transaction members (shared by the charge and status answers, docs/payments.md) strictly:
/// a member missing or in another form is provider_protocol_error, never a guess.
/// </summary>
internal static class GatewayTransactionReader
{
    public static Result<ProviderTransaction> Read(JsonElement body)
    {
        try
        {
            var orderId = Str(body, "order_id");
            var amount = Rupiah.ParseGateway(Str(body, "gross_amount"));
            if (!amount.IsOk) return Protocol("gross_amount: " + amount.Error.Message);
            if (!PaymentMethodNames.TryParse(Str(body, "payment_type"), out var method)) return Protocol("unknown payment_type");
            if (!TransactionStatusNames.TryParse(Str(body, "transaction_status"), out var status)) return Protocol("unknown transaction_status");
            FraudStatus? fraud = null;
            if (OptStr(body, "fraud_status") is { } f && !FraudStatusNames.TryParse(f, out fraud)) return Protocol("unknown fraud_status");
            if (!GatewayTime.TryParse(Str(body, "transaction_time"), out var transactionTime)) return Protocol("transaction_time is not a gateway time");
            if (!GatewayTime.TryParse(Str(body, "expiry_time"), out var expiryTime)) return Protocol("expiry_time is not a gateway time");
            DateTimeOffset? settlementTime = null;
            if (OptStr(body, "settlement_time") is { } s)
            {
                if (!GatewayTime.TryParse(s, out var t)) return Protocol("settlement_time is not a gateway time");
                settlementTime = t;
            }

            var refunded = Rupiah.Zero;
            if (OptStr(body, "refunded_amount") is { } r)
            {
                var parsed = Rupiah.ParseGateway(r);
                if (!parsed.IsOk) return Protocol("refunded_amount: " + parsed.Error.Message);
                refunded = parsed.Value;
            }

            return new ProviderTransaction(orderId, Str(body, "transaction_id"), method.Value, amount.Value, status.Value, fraud, transactionTime,
                expiryTime, settlementTime, refunded);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            return Protocol(e.Message);
        }
    }

    /// <summary>A required string member; throws (caught above) when absent or not a string.</summary>
    public static string Str(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new KeyNotFoundException($"the gateway's answer has no string \"{name}\"");

    public static string? OptStr(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static Error Protocol(string why) => new(PaymentErrors.ProviderProtocol, "unexpected answer from the payment gateway: " + why);
}
