using System.Globalization;
using System.Text.Json;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Store;
using Meterai.PaySim.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meterai.PaySim.Api;

/// <summary>The gateway API a merchant's server calls (docs/payments.md): charge, status, refund, settlement report.</summary>
internal static class GatewayEndpoints
{
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LongestExpiry = TimeSpan.FromDays(7);

    public static void Map(IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").AddEndpointFilter<BasicAuth>();
        v2.MapPost("/charge", ChargeAsync);
        v2.MapGet("/{orderId}/status", Status);
        v2.MapPost("/{orderId}/refund", RefundAsync);
        v2.MapGet("/settlements", Settlements);
    }

    private static async Task<IResult> ChargeAsync(HttpRequest request, TransactionStore transactions, FaultState faults)
    {
        var merchant = BasicAuth.MerchantOf(request.HttpContext);
        var (body, problem) = await ApiJson.ReadObjectAsync(request);
        if (problem is not null) return problem;
        var (command, invalid) = ReadCharge(body);
        if (invalid is not null) return invalid;

        var transactionId = faults.Chance.Id("transaction", command!.OrderId);
        var result = await transactions.ChargeAsync(merchant, command, transactionId);
        if (!result.IsOk) return ApiJson.Error(result.Error);
        var (tx, existing) = result.Value;
        return ApiJson.Write(existing ? 200 : 201, json =>
        {
            json.WriteString("status_message", existing ? "order already charged: this is its charge" : "charge created");
            TransactionJson.WriteMembers(json, tx, merchant.ServerKey);
            if (tx.QrString is not null) json.WriteString("qr_string", tx.QrString);
            json.WriteString("pay_url", PayUrl(request, tx.OrderId));
        });
    }

    private static (ChargeCommand? Command, IResult? Problem) ReadCharge(JsonElement body)
    {
        var (orderId, p1) = ApiJson.String(body, "order_id");
        var (amountText, p2) = ApiJson.String(body, "gross_amount");
        var (type, p3) = ApiJson.String(body, "payment_type");
        var (bank, p4) = ApiJson.String(body, "bank");
        if ((p1 ?? p2 ?? p3 ?? p4) is { } problem) return (null, problem);
        if (!OrderIds.IsValid(orderId)) return (null, ApiJson.BadRequest("order_id must be 1-64 characters of A-Z a-z 0-9 - _ . ~"));
        var amount = Rupiah.ParseGateway(amountText);
        if (!amount.IsOk) return (null, ApiJson.BadRequest("gross_amount: " + amount.Error.Message));
        if (amount.Value <= Rupiah.Zero) return (null, ApiJson.BadRequest("gross_amount must be at least 1"));
        if (!PaymentMethodNames.TryParse(type, out var method)) return (null, ApiJson.BadRequest("payment_type must be \"qris\" or \"bank_transfer\""));
        if (method == PaymentMethod.Qris && bank is not null) return (null, ApiJson.BadRequest("bank is for bank_transfer only"));
        if (bank is not null && !VirtualAccounts.IsKnownBank(bank)) return (null, ApiJson.BadRequest($"bank must be one of {string.Join(", ", VirtualAccounts.Banks)}"));

        var expiry = DefaultExpiry;
        if (body.TryGetProperty("expiry_seconds", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var seconds) || seconds < 1 || seconds > LongestExpiry.TotalSeconds)
            {
                return (null, ApiJson.BadRequest($"expiry_seconds must be a whole number from 1 to {LongestExpiry.TotalSeconds:0}"));
            }

            expiry = TimeSpan.FromSeconds(seconds);
        }

        return (new ChargeCommand(orderId!, amount.Value, method.Value, bank, expiry), null);
    }

    private static IResult Status(string orderId, HttpContext http, TransactionStore transactions)
    {
        var merchant = BasicAuth.MerchantOf(http);
        var tx = transactions.Get(orderId);
        if (tx is null || tx.MerchantId != merchant.MerchantId)
        {
            return ApiJson.Error(new Core.Common.Error(PaymentErrors.TransactionNotFound, $"no transaction for order {orderId}"));
        }

        return ApiJson.Write(200, json =>
        {
            json.WriteString("status_message", "transaction found");
            TransactionJson.WriteMembers(json, tx, merchant.ServerKey);
        });
    }

    private static async Task<IResult> RefundAsync(string orderId, HttpRequest request, TransactionStore transactions)
    {
        var merchant = BasicAuth.MerchantOf(request.HttpContext);
        var (body, problem) = await ApiJson.ReadObjectAsync(request);
        if (problem is not null) return problem;
        var (key, p1) = ApiJson.String(body, "refund_key");
        var (amountText, p2) = ApiJson.String(body, "amount");
        var (reason, p3) = ApiJson.String(body, "reason");
        if ((p1 ?? p2 ?? p3) is { } invalid) return invalid;
        if (string.IsNullOrEmpty(key) || key.Length > 64) return ApiJson.BadRequest("refund_key is required (1-64 characters) and must be reused on retries");
        Rupiah? amount = null;
        if (amountText is not null)
        {
            var parsed = Rupiah.ParseGateway(amountText);
            if (!parsed.IsOk) return ApiJson.BadRequest("amount: " + parsed.Error.Message);
            amount = parsed.Value;
        }

        var result = await transactions.RefundAsync(merchant, orderId, amount, key, reason);
        if (!result.IsOk) return ApiJson.Error(result.Error);
        var refund = result.Value;
        var tx = transactions.Get(orderId)!;
        return ApiJson.Write(200, json =>
        {
            json.WriteString("status_code", "200");
            json.WriteString("status_message", "refund accepted");
            json.WriteString("order_id", refund.OrderId);
            json.WriteString("transaction_id", tx.TransactionId);
            json.WriteString("refund_key", refund.RefundKey);
            json.WriteString("refund_amount", refund.Amount.ToGatewayString());
            json.WriteString("refunded_amount", refund.TotalAfter.ToGatewayString());
            json.WriteString("transaction_status", refund.StatusAfter.ToWire());
            json.WriteString("refunded_at", GatewayTime.ToWire(refund.RefundedAt));
        });
    }

    private static IResult Settlements(HttpContext http, TransactionStore transactions)
    {
        var merchant = BasicAuth.MerchantOf(http);
        var dateText = http.Request.Query["date"].ToString();
        if (!GatewayTime.TryParseDate(dateText, out var date)) return ApiJson.BadRequest("date must be given as YYYY-MM-DD (a WIB calendar day)");
        var settled = transactions.SettledOn(merchant.MerchantId, date);
        var total = settled.Aggregate(Rupiah.Zero, (sum, t) => sum + t.GrossAmount);
        return ApiJson.Write(200, json =>
        {
            json.WriteString("date", GatewayTime.DateToWire(date));
            json.WriteString("merchant_id", merchant.MerchantId);
            json.WriteString("currency", "IDR");
            json.WriteNumber("transaction_count", settled.Count);
            json.WriteString("total_gross_amount", total.ToGatewayString());
            json.WriteStartArray("transactions");
            foreach (var t in settled)
            {
                json.WriteStartObject();
                json.WriteString("order_id", t.OrderId);
                json.WriteString("transaction_id", t.TransactionId);
                json.WriteString("payment_type", t.Method.ToWire());
                json.WriteString("gross_amount", t.GrossAmount.ToGatewayString());
                json.WriteString("settlement_time", GatewayTime.ToWire(t.SettlementTime!.Value));
                json.WriteString("transaction_status", t.Status.ToWire());
                json.WriteString("refunded_amount", t.RefundedAmount.ToGatewayString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    internal static string PayUrl(HttpRequest request, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{request.Scheme}://{request.Host}/pay/{Uri.EscapeDataString(orderId)}");
}
