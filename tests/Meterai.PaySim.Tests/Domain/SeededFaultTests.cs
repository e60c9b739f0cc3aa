using Meterai.PaySim.Faults;
using Meterai.PaySim.Notifications;

namespace Meterai.PaySim.Tests.Domain;

public class SeededFaultTests
{
    private static readonly FaultSettings Chaos = new() { Duplicate = 0.1, Reorder = 0.1, Drop = 0.05, Delay = 0.05 };

    [Fact]
    public void The_same_seed_decides_the_same_faults()
    {
        var a = Enumerable.Range(0, 500).Select(i => FaultPlan.Decide(new SeededChance(7), Chaos, $"ORD-{i}", 2, "settlement")).ToList();
        var b = Enumerable.Range(0, 500).Reverse().Select(i => FaultPlan.Decide(new SeededChance(7), Chaos, $"ORD-{i}", 2, "settlement")).Reverse().ToList();
        Assert.Equal(a, b); // order of asking does not matter: draws are keyed, not sequential
        var c = Enumerable.Range(0, 500).Select(i => FaultPlan.Decide(new SeededChance(8), Chaos, $"ORD-{i}", 2, "settlement")).ToList();
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Fault_rates_follow_the_settings()
    {
        // 20,000 decisions under a fixed seed: the counts are fixed numbers; the bounds only say they are sane.
        var decisions = Enumerable.Range(0, 20_000).Select(i => FaultPlan.Decide(new SeededChance(1), Chaos, $"O{i}", 1, "pending")).ToList();
        double Rate(Func<FaultDecision, bool> f) => decisions.Count(f) / (double)decisions.Count;
        Assert.InRange(Rate(d => d.Dropped), 0.04, 0.06);
        Assert.InRange(Rate(d => d.Copies > 1), 0.085, 0.115);
        Assert.InRange(Rate(d => d.Reordered), 0.085, 0.115);
        Assert.InRange(Rate(d => d.Delayed), 0.04, 0.06);
        Assert.All(decisions.Where(d => d.Dropped), d => Assert.False(d.Reordered || d.Delayed || d.Copies > 1));
        Assert.All(decisions, d => Assert.InRange(d.Copies, 1, Chaos.MaxCopies));
    }

    [Fact]
    public void No_faults_when_all_probabilities_are_zero()
    {
        var none = new FaultSettings();
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(new FaultDecision($"O{i}", 1, "pending", 1, false, false, false),
            FaultPlan.Decide(new SeededChance(3), none, $"O{i}", 1, "pending")));
    }

    [Fact]
    public void Backoff_doubles_within_its_jitter_and_stops_at_the_cap()
    {
        var chance = new SeededChance(5);
        var b = TimeSpan.FromSeconds(1);
        var cap = TimeSpan.FromSeconds(60);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var full = TimeSpan.FromTicks(Math.Min(cap.Ticks, b.Ticks << (attempt - 1)));
            var d = Backoff.Delay(chance, "n/0", attempt, b, cap);
            Assert.InRange(d, full / 2, full);
            Assert.Equal(d, Backoff.Delay(new SeededChance(5), "n/0", attempt, b, cap));
        }
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.NotNull(new FaultSettings { Drop = 1.5 }.Validate());
        Assert.NotNull(new FaultSettings { Duplicate = -0.1 }.Validate());
        Assert.NotNull(new FaultSettings { OutageEvery = TimeSpan.FromSeconds(5), OutageFor = TimeSpan.FromSeconds(10) }.Validate());
        Assert.Null(new FaultSettings { Drop = 1, Duplicate = 1, Reorder = 1, Delay = 1, Slow = 1 }.Validate());
        Assert.NotNull(new FaultPatch { OutageMode = "sometimes" }.ApplyTo(new FaultSettings()).Error);
    }
}
