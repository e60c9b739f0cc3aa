using System.Net;

namespace Meterai.Cli.Attacks.Payments;

/// <summary>
/// Issue 10, item 2. The provider's signature covers order_id, status_code and gross_amount; settlement and refund share
/// status code 200. The attacker buys a stamp, keeps the signed settlement the payment gave, and sends it back as a
/// notification with transaction_status "refund". Held when the order stays fulfilled with its stamp and the real refund
/// then goes through; breached when the server took the refund from the notification.
/// </summary>
public sealed class RefundFromReplayedSettlement : IAttack
{
    public string Id => "refund-from-replayed-settlement";

    public string Item => "2";

    public string Description => "replay a paid order's signed settlement as a notification with transaction_status \"refund\"";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var order = await PaidOrder.BuyAsync(target, ct);
        var forged = await PaidOrder.NotifyAsync(target, order.Replay("refund"), ct);
        var after = await order.ReadAsync(target, ct);
        var state = after.GetProperty("state").GetString();
        var status = after.GetProperty("provider_status").GetString();
        if (state != "fulfilled" || status != "settlement")
        {
            return AttackOutcome.Breached($"the forged refund answered {forged} and order {order.Id} is now {state} (provider status {status}) with no refund made");
        }

        // The buyer's real refund must still work (the forged one once made it impossible).
        var refund = await target.SendJsonAsync(HttpMethod.Post, $"/api/v1/orders/{order.Id}/refunds", new { quantity = 1, reason = "attack: the real refund" },
            order.BuyerToken, Guid.NewGuid().ToString("N"), ct);
        return refund.Status == HttpStatusCode.OK
            ? AttackOutcome.Held($"the forged refund answered {forged}; order {order.Id} stayed fulfilled and the real refund answered {refund.Code} {refund.Json.GetProperty("state").GetString()}")
            : AttackOutcome.Breached($"the forged refund answered {forged}, but the real refund then answered {refund}");
    }
}
