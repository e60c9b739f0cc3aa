using System.Text;
using Meterai.Cli.Attacks.Verification;
using Meterai.PaySim.Client;

namespace Meterai.Cli.Attacks.Payments;

/// <summary>
/// Issue 10, item 9 (payments), at the provider's side: every claim of a signed notification that would change an order
/// is challenged with the provider's status API, so one genuinely signed notification replayed again and again spent
/// the merchant's status API quota (200 replays claiming "refund": 200 status calls). The attacker buys and pays a
/// stamp and replays its signed settlement 200 times as a refund, from an address of its own; the calls are counted at
/// the sandbox. Held when they stay bounded (a few per order and minute) and the order stays fulfilled; breached when
/// each replay made a call.
/// </summary>
public sealed class ReplayedNotificationStatusCalls : IAttack
{
    private const int Count = 200;

    /// <summary>Far above what the bound allows (a few challenges per order and minute, and reconciliation's look), far below one per replay.</summary>
    private const int MostCalls = 20;

    public string Id => "replayed-notification-status-calls";

    public string Item => "9";

    public string Description => $"replay one signed settlement {Count} times as a refund and count the status API calls it costs at the provider";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var order = await PaidOrder.BuyAsync(target, ct);
        using var sandboxHttp = new HttpClient { BaseAddress = target.PaymentSandbox, Timeout = TimeSpan.FromSeconds(30) };
        var sandbox = new PaySimClient(sandboxHttp);
        var before = await sandbox.StatusCallsAsync(order.Id, ct);

        // A client of its own (a fresh loopback address where the target allows), so this measures the per-order bound.
        using var client = VerifyClient.NewClient(target);
        var answers = new int[Count];
        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            using var content = new StringContent(order.Replay(i % 2 == 0 ? "refund" : "partial_refund"), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(PaidOrder.NotificationPath, content, token);
            answers[i] = (int)response.StatusCode;
        });

        var calls = await sandbox.StatusCallsAsync(order.Id, ct) - before;
        var state = (await order.ReadAsync(target, ct)).GetProperty("state").GetString();
        var evidence = $"{calls} status calls at the provider for {Count} replays (answers {string.Join("/", answers.Distinct())}); order {order.Id} {state}";
        if (state != "fulfilled") return AttackOutcome.Breached($"the replays moved the order: {evidence}");
        return calls > MostCalls ? AttackOutcome.Breached($"each replay cost a status call: {evidence}") : AttackOutcome.Held(evidence);
    }
}
