using System.Net.Http.Json;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;

namespace Meterai.PaySim.Client;

/// <summary>A transaction as the sandbox lists it (GET /sim/transactions).</summary>
public sealed record PaySimTransaction(string OrderId, string TransactionId, PaymentMethod Method, Rupiah GrossAmount, TransactionStatus Status, Rupiah RefundedAmount, DateTimeOffset? SettlementTime)
{
    /// <summary>The provider took the buyer's money for this order (even if some went back since): it must be credited.</summary>
    public bool WasPaid => TransactionStatusRules.WasPaid(Status, FraudStatus.Accept);
}

/// <summary>One copy of a notification in the sandbox's outbox (GET /sim/notifications).</summary>
public sealed record PaySimNotification(long Id, string NotificationId, string OrderId, int EventSeq, int Copy, string TransactionStatus, string State, int Attempts, string? LastError);

/// <summary>
/// The tester's side of the sandbox's /sim API: pay or expire orders as a buyer would, turn faults up and down, start
/// outages, point notifications at a (restarted) merchant, and read the provider's truth, e.g. which orders it was
/// paid for, so a chaos test can compare that with what the service credited.
/// Unexpected HTTP failures throw <see cref="HttpRequestException"/>: this is test plumbing, not a user path.
/// </summary>
public sealed class PaySimClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The buyer pays: the order's status afterwards, or the sandbox's error (transaction_expired, transaction_not_found, …).</summary>
    public Task<Result<TransactionStatus>> PayAsync(string orderId, CancellationToken cancellationToken = default) =>
        PostStatusAsync($"sim/pay/{Uri.EscapeDataString(orderId)}", cancellationToken);

    /// <summary>Expires a pending order now, whatever its expiry time.</summary>
    public Task<Result<TransactionStatus>> ExpireAsync(string orderId, CancellationToken cancellationToken = default) =>
        PostStatusAsync($"sim/expire/{Uri.EscapeDataString(orderId)}", cancellationToken);

    public async Task<FaultPatch> GetFaultsAsync(CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<FaultPatch>("sim/faults", Json, cancellationToken))!;

    /// <summary>Changes the members the patch names and returns every setting now in force.</summary>
    public async Task<FaultPatch> SetFaultsAsync(FaultPatch patch, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("sim/faults", patch, new JsonSerializerOptions(Json) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<FaultPatch>(Json, cancellationToken))!;
    }

    public async Task StartOutageAsync(TimeSpan length, OutageMode mode = OutageMode.Unavailable, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("sim/outage", new { seconds = length.TotalSeconds, mode = FaultPatch.OutageModeName(mode) }, cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    public async Task EndOutageAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync("sim/outage", cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    /// <summary>Where the sandbox's merchant receives notifications from now on (queued ones included).</summary>
    public async Task SetNotifyUrlAsync(Uri notifyUrl, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync("sim/merchant", new { notify_url = notifyUrl.ToString() }, cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    public async Task<IReadOnlyList<PaySimTransaction>> TransactionsAsync(TransactionStatus? status = null, CancellationToken cancellationToken = default)
    {
        var url = status is null ? "sim/transactions" : $"sim/transactions?status={status.Value.ToWire()}";
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url, cancellationToken));
        var list = new List<PaySimTransaction>();
        foreach (var t in doc.RootElement.GetProperty("transactions").EnumerateArray())
        {
            PaymentMethodNames.TryParse(t.GetProperty("payment_type").GetString(), out var method);
            TransactionStatusNames.TryParse(t.GetProperty("transaction_status").GetString(), out var s);
            DateTimeOffset? settled = null;
            if (t.TryGetProperty("settlement_time", out var st) && GatewayTime.TryParse(st.GetString(), out var time)) settled = time;
            list.Add(new PaySimTransaction(t.GetProperty("order_id").GetString()!, t.GetProperty("transaction_id").GetString()!, method!.Value,
                Rupiah.ParseGateway(t.GetProperty("gross_amount").GetString()).Value, s!.Value,
                Rupiah.ParseGateway(t.GetProperty("refunded_amount").GetString()).Value, settled));
        }

        return list;
    }

    /// <summary>The orders the provider was paid for: what "paid ⇒ credited exactly once" is checked against.</summary>
    public async Task<IReadOnlySet<string>> PaidOrderIdsAsync(CancellationToken cancellationToken = default) =>
        (await TransactionsAsync(null, cancellationToken)).Where(t => t.WasPaid).Select(t => t.OrderId).ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyList<PaySimNotification>> NotificationsAsync(string? orderId = null, CancellationToken cancellationToken = default)
    {
        var url = orderId is null ? "sim/notifications" : $"sim/notifications?order_id={Uri.EscapeDataString(orderId)}";
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url, cancellationToken));
        return doc.RootElement.GetProperty("notifications").Deserialize<List<PaySimNotification>>(Json)!;
    }

    /// <summary>
    /// The gateway API calls merchants made since the sandbox started, by kind ("status", "refund", …), of one order when
    /// given (GET /sim/calls): what a test counts to bound the status calls a flood of notifications costs.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CallsAsync(string? orderId = null, CancellationToken cancellationToken = default)
    {
        var url = orderId is null ? "sim/calls" : $"sim/calls?order_id={Uri.EscapeDataString(orderId)}";
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url, cancellationToken));
        return doc.RootElement.GetProperty("calls").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    /// <summary>Status API calls about one order so far.</summary>
    public async Task<long> StatusCallsAsync(string orderId, CancellationToken cancellationToken = default) =>
        (await CallsAsync(orderId, cancellationToken)).GetValueOrDefault("status");

    /// <summary>Every fault decision so far, ordered by order and event: equal lists mean a replayed run.</summary>
    public async Task<IReadOnlyList<FaultDecision>> FaultDecisionsAsync(CancellationToken cancellationToken = default)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("sim/fault-decisions", cancellationToken));
        return doc.RootElement.GetProperty("decisions").Deserialize<List<FaultDecision>>(Json)!;
    }

    private async Task<Result<TransactionStatus>> PostStatusAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(url, null, cancellationToken);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = doc.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            return root.TryGetProperty("code", out var code)
                ? Result<TransactionStatus>.Fail(code.GetString()!, root.GetProperty("message").GetString()!)
                : throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode}");
        }

        TransactionStatusNames.TryParse(root.GetProperty("transaction_status").GetString(), out var status);
        return status!.Value;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"{response.RequestMessage?.RequestUri}: HTTP {(int)response.StatusCode}: {body}");
    }
}
