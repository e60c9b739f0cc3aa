using Meterai.PaySim.Faults;

namespace Meterai.PaySim.Notifications;

/// <summary>
/// Exponential backoff with "equal jitter": after the n-th failed attempt wait d/2 + u·d/2, d = min(cap, base·2^(n−1)),
/// u drawn from the seeded chance for (notification copy, n). The jitter spreads the retries of many notifications
/// that failed together (a merchant outage) instead of hammering the merchant in lockstep when it comes back.
/// </summary>
public static class Backoff
{
    public static TimeSpan Delay(SeededChance chance, string copyKey, int failedAttempts, TimeSpan @base, TimeSpan cap)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var ticks = Math.Min(cap.Ticks, @base.Ticks * (double)(1L << exponent));
        var u = chance.Draw("retry-jitter", copyKey, failedAttempts);
        return TimeSpan.FromTicks((long)(ticks / 2 + u * ticks / 2));
    }
}
