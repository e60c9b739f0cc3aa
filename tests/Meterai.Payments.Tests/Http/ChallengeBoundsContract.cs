using System.Text;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.Payments.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// What a genuinely signed notification replayed many times may cost (issue 10, item 2's follow-up): every claim that
/// would change an order is challenged with the provider's status API, so before the bound 200 replays of one signed
/// settlement claiming "refund" made about 100 status calls, each spending the merchant's API quota at the provider.
/// Per order at most one challenge is in flight and a few start per minute; per client address only a few challenges
/// the provider does not stand behind are made per minute. Further copies are answered 200 "deferred" and left to
/// reconciliation. The calls are counted where they cost: at the sandbox provider (GET /sim/calls). Real server
/// (Kestrel) and real sandbox, on both backends.
/// </summary>
public abstract class ChallengeBoundsContract(DatabaseBackend backend)
{
    private const int PerOrderPerMinute = 3;

    private static readonly string[] Claims = ["settlement", "capture", "partial_refund", "refund"];

    [Fact]
    public async Task Two_hundred_replays_of_one_signed_notification_cost_a_bounded_number_of_status_calls()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend, settings: Limits(perClient: 1_000));
        var order = await h.PlaceAsync(1);
        var signed = await h.PayAtSandboxAsync(order.Id);
        await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
        await h.UntilDeliveredAsync(order.Id, 2);
        var before = await h.Sim.StatusCallsAsync(order.Id.Value, Sales.Ct);

        var bodies = Enumerable.Range(0, 200).Select(i => RefundForgeryContract.Replay(signed, Claims[i % Claims.Length]).ToJsonString()).ToList();
        var answers = await PostAllAsync(h, bodies);
        Assert.All(answers, a => Assert.Equal(200, a.Status));

        // Half of the copies claim a move (partial_refund, refund) that needs the provider's word; without a bound each one asked.
        var calls = await h.Sim.StatusCallsAsync(order.Id.Value, Sales.Ct) - before;
        Assert.True(calls <= 2 * PerOrderPerMinute + 1, $"{calls} status calls for 200 replays of one signed notification");
        Assert.Contains(answers, a => a.Body.Contains("\"code\":\"challenge_limited\"", StringComparison.Ordinal));
        // Counted on the node for operators, not written.
        var (_, health) = await h.SendAsync(HttpMethod.Get, "/api/v1/operator/payments/health", token: await h.OperatorAsync("auditor"));
        Assert.True(health.GetProperty("challenges_limited_on_this_node").EnumerateObject().Sum(p => p.Value.GetInt64()) > 0, health.ToString());

        // The order ends right: still fulfilled on the settlement, its stamp kept, the books as the provider has them.
        var after = await h.OrderAsync(order.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (after.State, after.ProviderStatus));
        Assert.Equal(1, await h.QuotaAsync(after));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task Two_hundred_copies_of_a_true_settlement_nobody_delivered_credit_the_order_once()
    {
        // The sandbox's own notifications are lost; the attacker (or a confused proxy) replays the paid order's signed settlement.
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 }, Limits(perClient: 1_000), backend);
        var order = await h.PlaceAsync(2);
        var signed = await h.PayAtSandboxAsync(order.Id);
        var before = await h.Sim.StatusCallsAsync(order.Id.Value, Sales.Ct);

        var bodies = Enumerable.Range(0, 200).Select(_ => RefundForgeryContract.Replay(signed, "settlement").ToJsonString()).ToList();
        var answers = await PostAllAsync(h, bodies);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Contains(answers, a => a.Body.Contains("\"status\":\"applied\"", StringComparison.Ordinal));

        var calls = await h.Sim.StatusCallsAsync(order.Id.Value, Sales.Ct) - before;
        Assert.True(calls <= 2 * PerOrderPerMinute + 1, $"{calls} status calls for 200 copies of one settlement");
        var after = await h.OrderAsync(order.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (after.State, after.ProviderStatus));
        Assert.Equal(2, await h.QuotaAsync(after));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task A_client_whose_claims_the_provider_does_not_confirm_stops_causing_status_calls()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend, settings: Limits(perClient: 2));
        var orders = new List<(Order Order, string Signed)>();
        for (var i = 0; i < 4; i++)
        {
            var order = await h.PlaceAsync(1);
            var signed = await h.PayAtSandboxAsync(order.Id);
            await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
            orders.Add((order, RefundForgeryContract.Replay(signed, "refund").ToJsonString()));
        }

        // The provider's own notifications (from the same loopback address) were confirmed: they used up none of its allowance.
        var before = new List<long>();
        foreach (var (order, _) in orders) before.Add(await h.Sim.StatusCallsAsync(order.Id.Value, Sales.Ct));

        // One false refund claim per order, from one client: the first two are asked (and not confirmed), then the client is out of allowance.
        var codes = new List<string>();
        foreach (var (_, forged) in orders)
        {
            var (status, body) = await h.NotifyAsync(forged);
            Assert.Equal(200, status);
            codes.Add(body.GetProperty("code").GetString()!);
        }

        Assert.Equal([PaymentErrors.NotificationUnconfirmed, PaymentErrors.NotificationUnconfirmed, "challenge_limited", "challenge_limited"], codes);
        for (var i = 0; i < orders.Count; i++)
        {
            var calls = await h.Sim.StatusCallsAsync(orders[i].Order.Id.Value, Sales.Ct) - before[i];
            Assert.Equal(i < 2 ? 1 : 0, calls);
            Assert.Equal(OrderState.Fulfilled, (await h.OrderAsync(orders[i].Order.Id)).State);
        }

        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    private static Dictionary<string, string> Limits(int perClient) => new()
    {
        ["Payments:Challenges:PerOrderPerMinute"] = PerOrderPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Payments:Challenges:PerClientPerMinute"] = perClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<List<(int Status, string Body)>> PostAllAsync(PaymentsHarness h, IReadOnlyList<string> bodies)
    {
        var answers = new (int, string)[bodies.Count];
        await Parallel.ForAsync(0, bodies.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Sales.Ct }, async (i, ct) =>
        {
            using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
            using var response = await h.Http.PostAsync(Meterai.Server.Payments.NotificationEndpoint.Path, content, ct);
            answers[i] = ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        });
        return [.. answers];
    }
}

public sealed class SqliteChallengeBoundsTests(SqliteBackend backend) : ChallengeBoundsContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresChallengeBoundsTests(PostgresBackend backend) : ChallengeBoundsContract(backend), IClassFixture<PostgresBackend>;
