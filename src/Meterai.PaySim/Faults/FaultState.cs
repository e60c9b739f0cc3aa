using System.Collections.Concurrent;
using Meterai.Core.Common;

namespace Meterai.PaySim.Faults;

/// <summary>
/// The fault settings in force (set by the CLI flags, changed at run time by POST /sim/faults) and the outage clock.
/// Held in memory on purpose: a restarted sandbox starts from its flags again, as a restarted real provider would be
/// healthy again; what must survive a restart (transactions, the outbox) is in the store.
/// </summary>
public sealed class FaultState(FaultSettings initial, SeededChance chance, IClock clock)
{
    private readonly ConcurrentDictionary<string, long> _callsPerPath = new();
    private readonly DateTimeOffset _startedAt = clock.UtcNow;
    private volatile FaultSettings _settings = initial;
    private volatile ManualOutage? _manualOutage;

    public FaultSettings Settings => _settings;

    public SeededChance Chance => chance;

    public void Replace(FaultSettings settings) => _settings = settings;

    public void StartOutage(TimeSpan length, OutageMode mode) => _manualOutage = new ManualOutage(clock.UtcNow + length, mode);

    public void EndOutage() => _manualOutage = null;

    /// <summary>Whether the provider is down now, how, and until when.</summary>
    public bool InOutage(out OutageMode mode, out DateTimeOffset until)
    {
        var now = clock.UtcNow;
        if (_manualOutage is { } manual && manual.Until > now)
        {
            (mode, until) = (manual.Mode, manual.Until);
            return true;
        }

        var s = _settings;
        if (s.OutageEvery > TimeSpan.Zero && s.OutageFor > TimeSpan.Zero)
        {
            // Windows start at every k·interval after start-up (k ≥ 1), so the first minutes of a run are healthy.
            var elapsed = now - _startedAt;
            var k = (long)(elapsed.Ticks / s.OutageEvery.Ticks);
            var windowStart = TimeSpan.FromTicks(k * s.OutageEvery.Ticks);
            if (k >= 1 && elapsed < windowStart + s.OutageFor)
            {
                (mode, until) = (s.OutageMode, _startedAt + windowStart + s.OutageFor);
                return true;
            }
        }

        (mode, until) = (OutageMode.Unavailable, now);
        return false;
    }

    /// <summary>The slow-answer decision for the n-th call to a path (n counted per path, so it is seed-stable).</summary>
    public TimeSpan SlowAnswerDelay(string method, string path)
    {
        var s = _settings;
        if (s.Slow <= 0) return TimeSpan.Zero;
        var key = method + " " + path;
        var n = _callsPerPath.AddOrUpdate(key, 1, (_, c) => c + 1);
        return chance.Happens(s.Slow, "slow", key, n) ? s.SlowFor : TimeSpan.Zero;
    }

    private sealed record ManualOutage(DateTimeOffset Until, OutageMode Mode);
}
