using Meterai.Bench;

namespace Meterai.Cli.Tests;

public sealed class MachineCpuTests
{
    [Fact]
    public void Two_proc_stat_lines_give_the_windows_shares_with_steal()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var start = MachineCpu.Parse("cpu  1000 0 200 5000 10 5 5 100 0 0")!.Value;
        var end = MachineCpu.Parse("cpu  1500 100 300 5100 10 15 15 400 0 0")!.Value;

        Assert.Equal((600L, 100L, 20L, 300L), (end.User - start.User, end.System - start.System, end.Interrupts - start.Interrupts, end.Steal - start.Steal));
        var shares = end.DescribeSince(start);
        // 1,120 ticks in all: user 600 (54 %), system 100 (9 %), interrupts 20 (2 %), idle 100 (9 %), steal 300 (27 %).
        Assert.StartsWith("user 54%, system 9%, interrupts 2%, I/O wait 0%, idle 9%, steal 27%", shares, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpu0 1 2 3 4 5 6 7 8")]
    [InlineData("cpu 1 2 3")]
    [InlineData("cpu 1 2 3 4 5 6 7 x")]
    public void A_line_that_is_not_the_aggregate_cpu_line_is_not_read(string line) => Assert.Null(MachineCpu.Parse(line));

    [Fact]
    public void No_time_between_samples_says_so() =>
        Assert.Equal("no time passed", MachineCpu.Parse("cpu 1 2 3 4 5 6 7 8")!.Value.DescribeSince(MachineCpu.Parse("cpu 1 2 3 4 5 6 7 8")!.Value));
}
