using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Tests.Support;

namespace Meterai.PaySim.Tests.Notifications;

public class RestartAndReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_restarted_sandbox_delivers_what_was_left_in_its_outbox()
    {
        var accepting = false;
        await using var receiver = await NotificationReceiver.StartAsync(_ => Volatile.Read(ref accepting) ? 200 : 503);
        using var folder = new TempFolder();
        var options = Sandbox.Options(folder.Path, receiver.NotifyUrl);
        var orders = new[] { "ORD-RS-1", "ORD-RS-2", "ORD-RS-3" };

        await using (var first = await Sandbox.StartOnAsync(options))
        {
            foreach (var o in orders)
            {
                await first.ChargeAsync(o);
                await first.Client.PayAsync(o, Ct);
            }

            await Eventually.Until(() => first.Client.NotificationsAsync(cancellationToken: Ct), rows => rows.Count == 6 && rows.All(r => r.Attempts >= 1), "every notification tried");
        }

        Volatile.Write(ref accepting, true);
        await using var second = await Sandbox.StartOnAsync(Sandbox.Options(folder.Path, receiver.NotifyUrl));
        await Eventually.Until(() => receiver.Accepted.Count >= 6, "the outbox delivered after the restart");
        var delivered = receiver.Accepted.Select(b => PaymentNotificationParser.Parse(b, Sandbox.ServerKey).Value)
            .Select(n => (n.OrderId, n.Status)).ToHashSet();
        foreach (var o in orders)
        {
            Assert.Contains((o, TransactionStatus.Pending), delivered);
            Assert.Contains((o, TransactionStatus.Settlement), delivered);
            Assert.Equal(TransactionStatus.Settlement, (await second.Provider.GetStatusAsync(o, Ct)).Value.Status);
        }

        // Charging again after the restart still finds the same charge.
        Assert.True((await second.ChargeAsync("ORD-RS-1")).Existing);
    }

    private static readonly FaultSettings Chaos = new()
    {
        Duplicate = 0.3, Reorder = 0.3, Drop = 0.2, Delay = 0.2,
        DelayFor = TimeSpan.FromMilliseconds(200), ReorderHoldMax = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>One scripted run: 30 orders charged, two thirds paid, some refunded; the fault decisions and transaction ids it produced.</summary>
    private static async Task<(IReadOnlyList<FaultDecision> Decisions, IReadOnlyList<string> TransactionIds)> RunAsync(long seed, bool concurrently)
    {
        await using var sandbox = await Sandbox.StartAsync(d => Sandbox.Options(d, seed: seed, faults: Chaos));
        var orders = Enumerable.Range(0, 30).Select(i => $"ORD-RP-{i:D2}").ToList();
        async Task Buy(string o, int i)
        {
            await sandbox.ChargeAsync(o, i % 2 == 0 ? PaymentMethod.Qris : PaymentMethod.VirtualAccount);
            if (i % 3 != 0) await sandbox.Client.PayAsync(o, Ct);
            if (i % 5 == 1 && i % 3 != 0) Assert.True((await sandbox.Provider.RefundAsync(new RefundRequest(o, new Rupiah(2_500), "rf-" + o), Ct)).IsOk);
        }

        if (concurrently) await Task.WhenAll(orders.Select((o, i) => Task.Run(() => Buy(o, i), Ct)));
        else for (var i = 0; i < orders.Count; i++) await Buy(orders[i], i);

        var ids = (await sandbox.Client.TransactionsAsync(cancellationToken: Ct)).OrderBy(t => t.OrderId).Select(t => t.TransactionId).ToList();
        return (await sandbox.Client.FaultDecisionsAsync(Ct), ids);
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_fault_decisions_whatever_the_timing()
    {
        var sequential = await RunAsync(seed: 11, concurrently: false);
        var concurrent = await RunAsync(seed: 11, concurrently: true);
        Assert.Equal(sequential.Decisions, concurrent.Decisions);
        Assert.Equal(sequential.TransactionIds, concurrent.TransactionIds);
        Assert.Equal(30 + 20 + 4, sequential.Decisions.Count); // pending, settlement, partial_refund
        Assert.Contains(sequential.Decisions, d => d.Dropped);
        Assert.Contains(sequential.Decisions, d => d.Copies > 1);
        Assert.Contains(sequential.Decisions, d => d.Reordered);
        Assert.Contains(sequential.Decisions, d => d.Delayed);

        var otherSeed = await RunAsync(seed: 12, concurrently: false);
        Assert.NotEqual(sequential.Decisions, otherSeed.Decisions);
    }
}
