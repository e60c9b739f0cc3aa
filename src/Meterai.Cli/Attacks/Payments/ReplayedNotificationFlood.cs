using System.Net;

namespace Meterai.Cli.Attacks.Payments;

/// <summary>
/// Issue 10, item 9 (payments), with a genuine signature: the attacker replays one paid order's signed statement 200
/// times, claiming each status a status code 200 signature allows, with fresh notification ids. Held when the order is
/// unchanged and the events recorded for it grew by at most one per claim; breached when every replay wrote a row or
/// moved the order.
/// </summary>
public sealed class ReplayedNotificationFlood : IAttack
{
    private const int Count = 200;

    private static readonly string[] Claims = ["settlement", "capture", "partial_refund", "refund"];

    public string Id => "replayed-notification-flood";

    public string Item => "9";

    public string Description => $"replay one genuinely signed notification {Count} times with changed statuses and see what it writes";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var order = await PaidOrder.BuyAsync(target, ct);
        var admin = await target.IssuerAdminTokenAsync(ct);
        var before = await EventsAsync(target, admin, order.Id, ct);
        var answers = new int[Count];
        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            answers[i] = (await PaidOrder.NotifyAsync(target, order.Replay(Claims[i % Claims.Length]), token)).Code;
        });

        var after = await EventsAsync(target, admin, order.Id, ct);
        var state = (await order.ReadAsync(target, ct)).GetProperty("state").GetString();
        var evidence = $"answers {string.Join("/", answers.Distinct())}; events for order {order.Id} {before} → {after}; order {state}";
        if (state != "fulfilled") return AttackOutcome.Breached($"the replays moved the order: {evidence}");
        return after - before > Claims.Length ? AttackOutcome.Breached($"the replays wrote without bound: {evidence}") : AttackOutcome.Held(evidence);
    }

    private static async Task<int> EventsAsync(AttackTarget target, string admin, string orderId, CancellationToken ct) =>
        (await target.SendJsonAsync(HttpMethod.Get, $"/api/v1/operator/payments/events?order_id={orderId}&limit=1000", null, admin, null, ct))
        .Require(HttpStatusCode.OK, "payment events").GetArrayLength();
}
