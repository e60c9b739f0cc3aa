using Meterai.Core.Orders;
using Meterai.TestSupport;

namespace Meterai.Core.Tests.Orders;

/// <summary>The bound on the status calls notifications may cause: per order, per sender, per window.</summary>
public class ChallengeGateTests
{
    private static readonly ChallengeLimits Limits = new() { PerOrderPerMinute = 3, PerClientPerMinute = 2 };

    [Fact]
    public void One_challenge_per_order_runs_at_a_time_and_a_few_start_per_window()
    {
        var clock = new ManualClock();
        var gate = new ChallengeGate(Limits, clock);
        var first = gate.TryEnter("MTR-A", "203.0.113.7", mayWait: true, out _);
        Assert.NotNull(first);

        // The first copy refused while it runs may wait for it; the others are refused outright, asked about a little later.
        Assert.Null(gate.TryEnter("MTR-A", "203.0.113.8", mayWait: true, out var waiter));
        Assert.Equal(ChallengeRefusal.OrderBusy, waiter!.Reason);
        Assert.NotNull(waiter.InFlight);
        Assert.False(waiter.InFlight.IsCompleted);
        Assert.Null(gate.TryEnter("MTR-A", "203.0.113.9", mayWait: true, out var busy));
        Assert.Null(busy!.InFlight);
        Assert.Equal(clock.UtcNow + Limits.InFlightGrace, busy.AskAt);
        Assert.NotNull(gate.TryEnter("MTR-B", "203.0.113.9", mayWait: true, out _)); // another order is not held up

        first!.Confirmed();
        first.Dispose();
        Assert.True(waiter.InFlight.IsCompleted);
        for (var i = 0; i < 2; i++)
        {
            using var next = gate.TryEnter("MTR-A", "203.0.113.7", mayWait: false, out _);
            Assert.NotNull(next);
            next!.Confirmed();
        }

        // Three started this window: the rest wait for the next one, when reconciliation asks instead.
        Assert.Null(gate.TryEnter("MTR-A", "203.0.113.7", mayWait: true, out var limited));
        Assert.Equal((ChallengeRefusal.OrderLimit, clock.UtcNow + ChallengeLimits.Window), (limited!.Reason, limited.AskAt));
        clock.Advance(ChallengeLimits.Window);
        Assert.NotNull(gate.TryEnter("MTR-A", "203.0.113.7", mayWait: true, out _));
        Assert.Equal(1, gate.RefusedByReason[ChallengeRefusal.OrderBusy]);
        Assert.Equal(1, gate.RefusedByReason[ChallengeRefusal.OrderLimit]);
    }

    [Fact]
    public void A_sender_is_charged_only_for_claims_the_provider_did_not_confirm()
    {
        var gate = new ChallengeGate(Limits, new ManualClock());
        // The provider's own address: every claim confirmed, never out of allowance.
        for (var i = 0; i < 10; i++)
        {
            using var ticket = gate.TryEnter("MTR-P" + i, "198.51.100.1", mayWait: true, out _);
            Assert.NotNull(ticket);
            ticket!.Confirmed();
        }

        // A sender of false claims: two are asked, then it is refused for every order.
        for (var i = 0; i < 2; i++)
        {
            using var ticket = gate.TryEnter("MTR-X" + i, "203.0.113.66", mayWait: true, out _);
            Assert.NotNull(ticket);
        }

        Assert.Null(gate.TryEnter("MTR-X9", "203.0.113.66", mayWait: true, out var refusal));
        Assert.Equal(ChallengeRefusal.ClientLimit, refusal!.Reason);
        Assert.NotNull(gate.TryEnter("MTR-X9", "198.51.100.1", mayWait: true, out _));
    }
}
