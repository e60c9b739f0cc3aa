using Meterai.Bench.LoadTest;

namespace Meterai.Cli.Tests;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void The_warm_up_ramps_from_a_tenth_to_the_rate_and_the_measured_phase_runs_at_the_rate_on_schedule()
    {
        var s = new ArrivalSchedule(500, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

        // Warm-up: the area under a ramp from 50/s to 500/s over 30 s.
        Assert.Equal((50 + 500) / 2 * 30, s.WarmupRequests);
        Assert.Equal(s.WarmupRequests + 500 * 60, s.Total);
        Assert.Equal(TimeSpan.Zero, s.Due(0));
        // At first a request every 20 ms (50/s); at the end of the ramp every 2 ms (500/s).
        Assert.InRange((s.Due(1) - s.Due(0)).TotalMilliseconds, 19, 20.1);
        Assert.InRange((s.Due(s.WarmupRequests - 1) - s.Due(s.WarmupRequests - 2)).TotalMilliseconds, 1.99, 2.1);

        // Measured: the first request is due when the warm-up ends, then one every 2 ms for 60 s.
        Assert.Equal(s.WarmupEnd, s.Due(s.WarmupRequests));
        Assert.True(s.Due(s.WarmupRequests - 1) < s.WarmupEnd);
        Assert.Equal(TimeSpan.FromSeconds(30 + 59.998), s.Due(s.Total - 1));
        for (long i = 1; i < s.Total; i += 97) Assert.True(s.Due(i) >= s.Due(i - 1));
    }

    [Fact]
    public void Without_a_warm_up_every_request_is_measured_at_the_full_rate()
    {
        var s = new ArrivalSchedule(100, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal((0L, 1000L), (s.WarmupRequests, s.Total));
        Assert.Equal(TimeSpan.FromMilliseconds(10), s.Due(1));
    }

    [Fact]
    public void The_scheduler_sleeps_until_the_next_request_is_due_in_whole_milliseconds_never_waking_early()
    {
        static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

        Assert.Equal(10, ArrivalSchedule.SleepMilliseconds(Ms(1000), Ms(1010)));
        Assert.Equal(4, ArrivalSchedule.SleepMilliseconds(Ms(1000), Ms(1003.3)));
        Assert.Equal(1, ArrivalSchedule.SleepMilliseconds(Ms(1000), Ms(1000.2)));
        // Already due (the caller starts those first) or just passed: never a sleep of 0, which would spin.
        Assert.Equal(1, ArrivalSchedule.SleepMilliseconds(Ms(1000), Ms(1000)));
        Assert.Equal(1, ArrivalSchedule.SleepMilliseconds(Ms(1000), Ms(990)));
        // A slow rate still looks at cancellation every 50 ms.
        Assert.Equal(50, ArrivalSchedule.SleepMilliseconds(Ms(0), TimeSpan.FromSeconds(20)));
    }
}
