using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Payments;
using static Meterai.Payments.Gateway.GatewayTransactionReader;

namespace Meterai.Payments.Gateway;

/// <summary>
/// <see cref="IPaymentProvider"/> over HTTP against a gateway in the style of Indonesian QRIS / virtual-account
/// gateways (docs/payments.md; `meterai paysim` is one). Every call ends within <see cref="GatewayProviderOptions.Timeout"/>:
/// no answer, a refused connection, a reset or a 5xx is <c>provider_unavailable</c>, which the caller may retry
/// because every call is idempotent on the provider's side (charge by order id, refund by refund key).
/// </summary>
public sealed class GatewayPaymentProvider(HttpClient http, GatewayProviderOptions options) : IPaymentProvider
{
    // Relative paths resolve against the base only when it ends with '/': "http://gw/api" + "v2/charge" would lose "api".
    private readonly Uri _base = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");

    public async Task<Result<PaymentCharge>> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        if (!OrderIds.IsValid(request.OrderId)) return Rejected($"order id \"{request.OrderId}\" is not 1-64 characters of A-Z a-z 0-9 - _ . ~");
        if (request.Amount <= Rupiah.Zero) return Rejected("a charge must be for at least Rp1");
        if (request.Expiry < TimeSpan.FromSeconds(1)) return Rejected("a charge must give the buyer at least one second");

        var body = new Dictionary<string, object>
        {
            ["order_id"] = request.OrderId,
            ["gross_amount"] = request.Amount.ToGatewayString(),
            ["payment_type"] = request.Method.ToWire(),
            ["expiry_seconds"] = (long)Math.Ceiling(request.Expiry.TotalSeconds),
        };
        if (request.Method == PaymentMethod.VirtualAccount && request.Bank is not null) body["bank"] = request.Bank;

        var answer = await SendAsync(HttpMethod.Post, "v2/charge", body, cancellationToken);
        if (!answer.IsOk) return answer.Error;
        var (status, json) = answer.Value;
        var read = Read(json);
        if (!read.IsOk) return read.Error;
        var tx = read.Value;
        if (tx.OrderId != request.OrderId || tx.GrossAmount != request.Amount || tx.Method != request.Method)
        {
            return Protocol($"charge of order {request.OrderId} answered for {tx.OrderId} / {tx.GrossAmount.ToGatewayString()} / {tx.Method.ToWire()}");
        }

        Uri? payUrl = OptStr(json, "pay_url") is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : null;
        var qr = OptStr(json, "qr_string");
        var va = OptStr(json, "va_number");
        if (tx.Method == PaymentMethod.Qris ? qr is null : va is null) return Protocol($"charge of order {request.OrderId} carries no {(qr is null ? "qr_string" : "va_number")}");
        return new PaymentCharge(tx.OrderId, tx.TransactionId, tx.Method, tx.GrossAmount, tx.Status, tx.TransactionTime, tx.ExpiresAt, qr,
            OptStr(json, "bank"), va, payUrl, Existing: status == HttpStatusCode.OK);
    }

    public async Task<Result<ProviderTransaction>> GetStatusAsync(string orderId, CancellationToken cancellationToken = default)
    {
        if (!OrderIds.IsValid(orderId)) return Rejected($"order id \"{orderId}\" is not a valid order id");
        var answer = await SendAsync(HttpMethod.Get, $"v2/{orderId}/status", null, cancellationToken);
        if (!answer.IsOk) return answer.Error;
        var json = answer.Value.Body;
        var read = Read(json);
        if (!read.IsOk) return read.Error;
        var tx = read.Value;
        if (tx.OrderId != orderId) return Protocol($"status of order {orderId} answered for {tx.OrderId}");

        // The status answer is what notifications are challenged with, so it must itself be the provider's: it is
        // signed like a notification, and a mismatch means someone between us and the provider changed it.
        if (!NotificationSignature.Verify(tx.OrderId, Str(json, "status_code"), Str(json, "gross_amount"), options.ServerKey, OptStr(json, "signature_key")))
        {
            return Protocol($"the status answer for order {orderId} is not signed with our server key");
        }

        return tx;
    }

    public async Task<Result<RefundReceipt>> RefundAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        if (!OrderIds.IsValid(request.OrderId)) return Rejected($"order id \"{request.OrderId}\" is not a valid order id");
        if (string.IsNullOrEmpty(request.RefundKey) || request.RefundKey.Length > 64) return Rejected("a refund key of 1-64 characters is required");
        if (request.Amount <= Rupiah.Zero) return Rejected("a refund must be for at least Rp1");
        var body = new Dictionary<string, object>
        {
            ["refund_key"] = request.RefundKey,
            ["amount"] = request.Amount.ToGatewayString(),
        };
        if (request.Reason is not null) body["reason"] = request.Reason;

        var answer = await SendAsync(HttpMethod.Post, $"v2/{request.OrderId}/refund", body, cancellationToken);
        if (!answer.IsOk) return answer.Error;
        var json = answer.Value.Body;
        try
        {
            var amount = Rupiah.ParseGateway(Str(json, "refund_amount"));
            var total = Rupiah.ParseGateway(Str(json, "refunded_amount"));
            if (!amount.IsOk || !total.IsOk) return Protocol("refund amounts are not gateway amounts");
            if (!TransactionStatusNames.TryParse(Str(json, "transaction_status"), out var status)) return Protocol("unknown transaction_status");
            if (!GatewayTime.TryParse(Str(json, "refunded_at"), out var at)) return Protocol("refunded_at is not a gateway time");
            if (Str(json, "order_id") != request.OrderId || Str(json, "refund_key") != request.RefundKey) return Protocol("the refund answer is for another refund");
            return new RefundReceipt(request.OrderId, request.RefundKey, amount.Value, total.Value, status.Value, at);
        }
        catch (KeyNotFoundException e)
        {
            return Protocol(e.Message);
        }
    }

    public async Task<Result<SettlementReport>> GetSettlementReportAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "v2/settlements?date=" + GatewayTime.DateToWire(date), null, cancellationToken);
        if (!answer.IsOk) return answer.Error;
        var json = answer.Value.Body;
        try
        {
            if (Str(json, "date") != GatewayTime.DateToWire(date)) return Protocol($"the settlement report asked for {date} is for {Str(json, "date")}");
            if (!json.TryGetProperty("transactions", out var items) || items.ValueKind != JsonValueKind.Array) return Protocol("the settlement report has no transactions array");
            var settled = new List<SettledTransaction>();
            foreach (var t in items.EnumerateArray())
            {
                var gross = Rupiah.ParseGateway(Str(t, "gross_amount"));
                var refunded = Rupiah.ParseGateway(Str(t, "refunded_amount"));
                if (!gross.IsOk || !refunded.IsOk) return Protocol("settlement amounts are not gateway amounts");
                if (!PaymentMethodNames.TryParse(Str(t, "payment_type"), out var method)) return Protocol("unknown payment_type in the settlement report");
                if (!TransactionStatusNames.TryParse(Str(t, "transaction_status"), out var status)) return Protocol("unknown transaction_status in the settlement report");
                if (!GatewayTime.TryParse(Str(t, "settlement_time"), out var settledAt)) return Protocol("settlement_time is not a gateway time");
                settled.Add(new SettledTransaction(Str(t, "order_id"), Str(t, "transaction_id"), method.Value, gross.Value, settledAt, status.Value, refunded.Value));
            }

            var report = new SettlementReport(date, settled);
            if (OptStr(json, "total_gross_amount") is { } totalText && Rupiah.ParseGateway(totalText) is { IsOk: true } total && total.Value != report.TotalGross)
            {
                return Protocol($"the settlement report's total {totalText} is not the sum of its transactions ({report.TotalGross.ToGatewayString()})");
            }

            return report;
        }
        catch (KeyNotFoundException e)
        {
            return Protocol(e.Message);
        }
    }

    /// <summary>One call: the 2xx status and JSON body, or the error the call ended in (always within the timeout).</summary>
    private async Task<Result<(HttpStatusCode Status, JsonElement Body)>> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ServerKey + ":")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

        HttpStatusCode status;
        string text;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = response.StatusCode;
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable($"no answer from the payment gateway within {options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s ({method} {path})");
        }
        catch (HttpRequestException e)
        {
            return Unavailable($"the payment gateway could not be reached ({method} {path}): {e.Message}");
        }

        JsonElement json = default;
        var isJson = false;
        try
        {
            using var doc = JsonDocument.Parse(text);
            json = doc.RootElement.Clone();
            isJson = json.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
        }

        var code = isJson ? OptStr(json, "code") : null;
        var message = (isJson ? OptStr(json, "message") : null) ?? $"HTTP {(int)status}";
        if ((int)status >= 500) return Unavailable($"the payment gateway failed ({method} {path}): {message}");
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return Result<(HttpStatusCode, JsonElement)>.Fail(PaymentErrors.ProviderUnauthorized, "the payment gateway refused our server key: " + message);
        }

        if ((int)status >= 400)
        {
            // The gateway's own codes that name a caller's situation pass through; anything else is a refusal.
            return code is PaymentErrors.TransactionNotFound or PaymentErrors.OrderIdConflict or PaymentErrors.RefundNotAllowed
                or PaymentErrors.RefundExceedsAmount or PaymentErrors.RefundKeyConflict or PaymentErrors.TransactionExpired
                ? Result<(HttpStatusCode, JsonElement)>.Fail(code, message)
                : Result<(HttpStatusCode, JsonElement)>.Fail(PaymentErrors.ProviderRejected, $"the payment gateway refused {method} {path}: {code ?? ""} {message}".Replace("  ", " "));
        }

        if (!isJson) return Protocol($"{method} {path} answered {(int)status} without a JSON object");
        return (status, json);
    }

    private static Error Unavailable(string message) => new(PaymentErrors.ProviderUnavailable, message);

    private static Error Rejected(string message) => new(PaymentErrors.ProviderRejected, message);
}
