using System.Globalization;

namespace Meterai.Bench;

/// <summary>
/// The whole machine's CPU time by kind, from the aggregate <c>cpu</c> line of <c>/proc/stat</c> (Linux; clock ticks
/// since boot). Two samples give the shares of a window. Steal is printed because these machines are shared virtual
/// machines: time the host gave to another guest is time our processes wanted and did not get, and a figure measured
/// under heavy steal is a figure of the host's load, not of the code.
/// </summary>
public readonly record struct MachineCpu(long User, long System, long Idle, long IoWait, long Interrupts, long Steal)
{
    public long Total => User + System + Idle + IoWait + Interrupts + Steal;

    /// <summary>Now, or null where there is no <c>/proc/stat</c>.</summary>
    public static MachineCpu? Sample()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            return line is null ? null : Parse(line);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>cpu user nice system idle iowait irq softirq steal …</c> (nice counts as user; irq and softirq as interrupts).</summary>
    public static MachineCpu? Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 9 || f[0] != "cpu") return null;
        var v = new long[8];
        for (var i = 0; i < 8; i++)
        {
            if (!long.TryParse(f[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out v[i])) return null;
        }

        return new MachineCpu(v[0] + v[1], v[2], v[3], v[4], v[5] + v[6], v[7]);
    }

    /// <summary>The shares of the window from <paramref name="start"/> to this sample, in percent of all cores' time.</summary>
    public string DescribeSince(MachineCpu start)
    {
        var total = Total - start.Total;
        if (total <= 0) return "no time passed";
        string Share(long now, long then) => (100.0 * (now - then) / total).ToString("0", CultureInfo.InvariantCulture) + "%";
        return $"user {Share(User, start.User)}, system {Share(System, start.System)}, interrupts {Share(Interrupts, start.Interrupts)}, " +
               $"I/O wait {Share(IoWait, start.IoWait)}, idle {Share(Idle, start.Idle)}, steal {Share(Steal, start.Steal)} (of all {Environment.ProcessorCount} cores)";
    }
}
