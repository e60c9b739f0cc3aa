using System.Collections.Concurrent;

namespace Meterai.Server.Payments;

/// <summary>
/// Notifications refused before their signature checked (forged, malformed, oversized): counted in memory on this node
/// and logged at most once per <see cref="LogEvery"/>, never written to the database. Anyone can send them, so
/// recording each would hand the public a write (and log) sink; the counts are on the payments health page.
/// </summary>
public sealed class RefusedNotifications(TimeProvider time)
{
    public static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, long> _byCode = new(StringComparer.Ordinal);
    private long _nextLogAt;
    private long _sinceLog;

    /// <summary>Counts a refusal; true when this one should be logged (the first, then one per <see cref="LogEvery"/>), with the number refused since the last log.</summary>
    public bool Count(string code, out long sinceLastLog)
    {
        _byCode.AddOrUpdate(code, 1, (_, n) => n + 1);
        var pending = Interlocked.Increment(ref _sinceLog);
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLogAt);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogAt, now + LogEvery.Ticks, next) == next)
        {
            sinceLastLog = pending;
            Interlocked.Add(ref _sinceLog, -pending);
            return true;
        }

        sinceLastLog = 0;
        return false;
    }

    /// <summary>Refusals on this node since it started, by code.</summary>
    public IReadOnlyDictionary<string, long> ByCode => new SortedDictionary<string, long>(_byCode, StringComparer.Ordinal);
}
