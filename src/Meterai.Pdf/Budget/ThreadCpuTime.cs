using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Meterai.Pdf.Budget;

/// <summary>
/// The processor time the calling thread has used: what a work budget counts, because on a shared machine wall time
/// says more about the neighbours than about the work. Linux and macOS: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>
/// (the thread's user and system time, nanosecond resolution). Elsewhere: wall time since the first call on the
/// thread, an upper bound on its processor time, so a budget errs on the strict side.
/// </summary>
public static class ThreadCpuTime
{
    private const int LinuxThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int MacThreadCpuClock = 16;

    private static readonly int Clock = OperatingSystem.IsLinux() ? LinuxThreadCpuClock : OperatingSystem.IsMacOS() ? MacThreadCpuClock : -1;
    private static bool _unavailable = Clock < 0;

    [ThreadStatic]
    private static long t_wallOrigin;

    /// <summary>The calling thread's processor time so far (only differences between two calls on one thread mean anything).</summary>
    public static TimeSpan Now()
    {
        if (!_unavailable)
        {
            try
            {
                if (ClockGetTime(Clock, out var ts) == 0) return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }

            _unavailable = true;
        }

        if (t_wallOrigin == 0) t_wallOrigin = Stopwatch.GetTimestamp();
        return Stopwatch.GetElapsedTime(t_wallOrigin);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);
}
