using System.Net;
using System.Text;
using System.Text.Json;

namespace Meterai.Cli.Attacks.Payments;

/// <summary>
/// Issue 10, item 9 (payments). Anyone can POST to the notification endpoint; 1,000 forged notifications in 1.4 s each
/// wrote a row. The attacker sends a few hundred with made-up signatures and bodies that are not notifications at all.
/// Held when each is refused (403 / 400) and the payment events did not grow by them; breached when they were recorded.
/// </summary>
public sealed class ForgedNotificationFlood : IAttack
{
    private const int Count = 300;

    public string Id => "forged-notification-flood";

    public string Item => "9";

    public string Description => $"post {Count} forged or malformed payment notifications and see whether each wrote a row";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var admin = await target.IssuerAdminTokenAsync(ct);
        var before = await RefusalEventsAsync(target, admin, ct);
        // An order id of the right form (hex digits are Crockford base32 too), so only the signature can refuse it.
        var orderId = "MTR-0" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..25];
        var answers = new int[Count];
        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            answers[i] = (await PaidOrder.NotifyAsync(target, Body(i, orderId), token)).Code;
        });

        var after = await RefusalEventsAsync(target, admin, ct);
        var refused = answers.Count(a => a is 400 or 403);
        var evidence = $"{refused} of {Count} refused with 400/403; refusal events in the last day {before} → {after}";
        if (refused != Count) return AttackOutcome.Breached($"{evidence}; answers: {string.Join(", ", answers.Distinct())}");
        return after - before >= Count / 2 ? AttackOutcome.Breached($"each wrote a row: {evidence}") : AttackOutcome.Held(evidence);
    }

    private static string Body(int i, string orderId) => (i % 3) switch
    {
        0 => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["order_id"] = orderId, ["status_code"] = "200", ["gross_amount"] = "10000.00", ["transaction_status"] = "settlement",
            ["transaction_id"] = "tx-" + i, ["payment_type"] = "qris", ["transaction_time"] = "2025-01-31T14:05:00+07:00", ["fraud_status"] = "accept",
            ["signature_key"] = Convert.ToHexStringLower(Encoding.UTF8.GetBytes($"forged-{i}-{orderId}")).PadRight(128, '0')[..128],
        }),
        1 => "{\"order_id\": " + i + ", \"status_code\": 200}",
        _ => "not a notification " + i,
    };

    /// <summary>Events of the last day recorded for refused notifications (the codes the old endpoint wrote for each).</summary>
    private static async Task<long> RefusalEventsAsync(AttackTarget target, string admin, CancellationToken ct)
    {
        var health = (await target.SendJsonAsync(HttpMethod.Get, "/api/v1/operator/payments/health", null, admin, null, ct)).Require(HttpStatusCode.OK, "payments health");
        var byCode = health.GetProperty("events_last_day_by_code");
        long Of(string code) => byCode.TryGetProperty(code, out var n) ? n.GetInt64() : 0;
        return Of("signature_invalid") + Of("malformed_notification");
    }
}
