using System.Text;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// Issue 10, item 9 (the payments half), through the real server on both backends: 1,000 forged notifications each
/// wrote a row. Nothing is written before a notification's signature checks, and what a replayed genuine signature can
/// make the server write is bounded by what it may claim, not by how often it is sent.
/// </summary>
public abstract class NotificationFloodContract(DatabaseBackend backend)
{
    /// <summary>Every table of the payments schema, and the ledger's (a notification must not reach the ledger either).</summary>
    private static readonly string[] Tables = ["orders", "payment_inbox", "order_refunds", "payment_events", "payment_leases", "transfers", "accounts"];

    private static readonly Dictionary<string, string> Quiet = new()
    {
        // No worker writing its own rows (leases, checks) while the rows are counted.
        ["Payments:Reconciliation:Enabled"] = "false",
    };

    [Fact]
    public async Task Forged_notifications_write_no_row_in_any_payments_table()
    {
        await using var h = await PaymentsHarness.StartAsync(settings: Quiet, backend: backend);
        var order = await h.PlaceAsync(2);
        await h.UntilDeliveredAsync(order.Id, 1); // the sandbox's own pending notification, before the rows are counted
        var gross = order.Total.ToGatewayString();
        var before = await CountAsync();

        var bodies = new List<string>();
        for (var i = 0; i < 1_000; i++)
        {
            bodies.Add((i % 10) switch
            {
                // A signature of the right shape that is not the provider's.
                0 or 1 or 2 => PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Settlement, order.Total, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()).PadRight(128, '0')),
                // Signed with another key.
                3 or 4 => PaymentsHarness.Notification(order.Id.Value, TransactionStatus.Refund, order.Total, NotificationSignature.Compute(order.Id.Value, "200", gross, "guess-" + i)),
                // An order that does not exist, and one that is not ours, with made-up signatures.
                5 => PaymentsHarness.Notification(OrderId.New().Value, TransactionStatus.Settlement, order.Total, new string('a', 128)),
                6 => PaymentsHarness.Notification("SHOP-" + i, TransactionStatus.Settlement, order.Total, "short"),
                // Not a notification at all.
                7 => "{\"order_id\": " + i + "}",
                8 => "not json " + i,
                _ => "{\"order_id\":\"" + order.Id + "\",\"status_code\":\"200\",\"gross_amount\":\"" + gross + "\",\"transaction_status\":\"settlement\"}",
            });
        }

        var answers = await PostAllAsync(h, bodies);
        Assert.All(answers, a => Assert.True(a is 400 or 403, $"answered {a}"));
        Assert.Equal(700, answers.Count(a => a == 403));

        // Bigger than any notification: refused without being read.
        using (var huge = new StringContent(new string(' ', 200_000) + "{}", Encoding.UTF8, "application/json"))
        {
            using var response = await h.Http.PostAsync(Meterai.Server.Payments.NotificationEndpoint.Path, huge, Sales.Ct);
            Assert.Equal(400, (int)response.StatusCode);
        }

        Assert.Equal(before, await CountAsync());
        Assert.Equal(OrderState.PendingPayment, (await h.OrderAsync(order.Id)).State);
    }

    [Fact]
    public async Task A_replayed_signed_notification_writes_at_most_one_event_per_claim()
    {
        await using var h = await PaymentsHarness.StartAsync(settings: Quiet, backend: backend);
        var order = await h.PlaceAsync(1);
        var signed = await h.PayAtSandboxAsync(order.Id);
        await h.UntilDeliveredAsync(order.Id, 2); // pending and settlement, before the rows are counted
        var before = await CountAsync();

        // Every status a status code 200 signature can be made to claim, each sent 50 times with fresh notification ids.
        string[] claims = ["settlement", "capture", "partial_refund", "refund"];
        var bodies = Enumerable.Range(0, 200).Select(i => RefundForgeryContract.Replay(signed, claims[i % claims.Length]).ToJsonString()).ToList();
        var answers = await PostAllAsync(h, bodies);
        Assert.All(answers, a => Assert.Equal(200, a));

        var after = await CountAsync();
        Assert.Equal(Without(before, "payment_events"), Without(after, "payment_events"));
        var events = after["payment_events"] - before["payment_events"];
        Assert.True(events <= claims.Length, $"{events} event rows for {claims.Length} distinct claims");
        var stored = await h.OrderAsync(order.Id);
        Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (stored.State, stored.ProviderStatus));
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    private async Task<Dictionary<string, long>> CountAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables) counts[table] = await backend.ScalarAsync($"SELECT count(*) FROM {table}");
        return counts;
    }

    private static Dictionary<string, long> Without(Dictionary<string, long> counts, string table) =>
        counts.Where(c => c.Key != table).ToDictionary(c => c.Key, c => c.Value);

    private static async Task<List<int>> PostAllAsync(PaymentsHarness h, IReadOnlyList<string> bodies)
    {
        var answers = new int[bodies.Count];
        await Parallel.ForAsync(0, bodies.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Sales.Ct }, async (i, ct) =>
        {
            using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
            using var response = await h.Http.PostAsync(Meterai.Server.Payments.NotificationEndpoint.Path, content, ct);
            answers[i] = (int)response.StatusCode;
        });
        return [.. answers];
    }
}

public sealed class SqliteNotificationFloodTests(SqliteBackend backend) : NotificationFloodContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresNotificationFloodTests(PostgresBackend backend) : NotificationFloodContract(backend), IClassFixture<PostgresBackend>;
