using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Meterai.Cli.Attacks.Payments;

/// <summary>
/// An order the attacker bought and paid, and the provider's signed statement that came with paying it: the sandbox's
/// answer to the payment is the transaction signed like a notification (SHA-512 over order id, status code and amount
/// with the merchant's key), which is all an attacker needs to replay one.
/// </summary>
internal sealed record PaidOrder(string Id, string BuyerToken, JsonObject Signed)
{
    public const string NotificationPath = "/api/v1/payments/notifications";

    /// <summary>A reseller channel buys one stamp and pays it at the sandbox; returns once the server fulfilled the order.</summary>
    public static async Task<PaidOrder> BuyAsync(AttackTarget target, CancellationToken ct)
    {
        if (target.PaymentSandbox is null) throw new AttackSkipped("no payment sandbox to pay at (--payment-sandbox): a signed notification comes from paying an order there");
        var admin = await target.IssuerAdminTokenAsync(ct);
        (await target.SendJsonAsync(HttpMethod.Post, "/api/v1/issuer/mint", new { stamps = 1 }, admin, Guid.NewGuid().ToString("N"), ct))
            .Require(HttpStatusCode.OK, "mint", HttpStatusCode.Created);
        var buyer = await target.NewChannelAsync(ct);
        var order = (await target.SendJsonAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 1, method = "qris" }, buyer.Token, Guid.NewGuid().ToString("N"), ct))
            .Require(HttpStatusCode.Created, "order");
        var id = order.GetProperty("id").GetString()!;

        using var sandbox = new HttpClient { BaseAddress = target.PaymentSandbox, Timeout = TimeSpan.FromSeconds(30) };
        using var paid = await sandbox.PostAsync($"sim/pay/{Uri.EscapeDataString(id)}", null, ct);
        var text = await paid.Content.ReadAsStringAsync(ct);
        if (!paid.IsSuccessStatusCode) throw new AttackSetupFailed($"set-up step 'pay at the sandbox' answered {(int)paid.StatusCode}: {text}");
        var signed = JsonNode.Parse(text)!.AsObject();

        var result = new PaidOrder(id, buyer.Token, signed);
        await result.UntilStateAsync(target, "fulfilled", ct);
        return result;
    }

    /// <summary>The order as its buyer sees it.</summary>
    public async Task<System.Text.Json.JsonElement> ReadAsync(AttackTarget target, CancellationToken ct) =>
        (await target.SendJsonAsync(HttpMethod.Get, $"/api/v1/orders/{Id}", null, BuyerToken, null, ct)).Require(HttpStatusCode.OK, "read the order");

    public async Task UntilStateAsync(AttackTarget target, string state, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var now = (await ReadAsync(target, ct)).GetProperty("state").GetString();
            if (now == state) return;
            if (DateTime.UtcNow > deadline) throw new AttackSetupFailed($"set-up: order {Id} never became {state} (it is {now}): is the sandbox's notify URL this server?");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The signed statement with its transaction_status changed (a member the signature does not cover) and a fresh notification id.</summary>
    public string Replay(string transactionStatus)
    {
        var copy = Signed.DeepClone().AsObject();
        copy["transaction_status"] = transactionStatus;
        copy["notification_id"] = Guid.NewGuid().ToString();
        return copy.ToJsonString();
    }

    public static Task<HttpAnswer> NotifyAsync(AttackTarget target, string body, CancellationToken ct) =>
        target.SendAsync(new HttpRequestMessage(HttpMethod.Post, NotificationPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") }, null, null, ct);
}
