namespace Meterai.Bench.LoadTest;

/// <summary>
/// When each request of an open-arrival run is due. The warm-up ramps the rate linearly from a tenth of the target
/// up to the target, so that a cold server (JIT still at its first tier, empty caches and pools) is warmed by load
/// it can carry instead of starting the measured minute behind a backlog built in its first seconds; the measured
/// phase then runs at the full rate, on schedule, whatever the server answers.
/// </summary>
public sealed class ArrivalSchedule
{
    private readonly double _rate;
    private readonly double _warmup;
    private readonly double _startRate;

    public ArrivalSchedule(double rate, TimeSpan warmup, TimeSpan duration)
    {
        _rate = rate;
        _warmup = warmup.TotalSeconds;
        _startRate = rate / 10;
        WarmupRequests = (long)Math.Floor(Arrivals(_warmup));
        Total = WarmupRequests + (long)Math.Ceiling(rate * duration.TotalSeconds);
    }

    /// <summary>Requests started during the warm-up (not measured).</summary>
    public long WarmupRequests { get; }

    public long Total { get; }

    /// <summary>The measured phase starts here.</summary>
    public TimeSpan WarmupEnd => TimeSpan.FromSeconds(_warmup);

    /// <summary>When request <paramref name="i"/> (from 0) is due, from the start of the run.</summary>
    public TimeSpan Due(long i)
    {
        if (i >= WarmupRequests) return TimeSpan.FromSeconds(_warmup + (i - WarmupRequests) / _rate);
        // Arrivals(t) = s·t + (R − s)·t² / (2W) = i, solved for t.
        var a = (_rate - _startRate) / (2 * _warmup);
        var t = a == 0 ? i / _startRate : (-_startRate + Math.Sqrt(_startRate * _startRate + 4 * a * i)) / (2 * a);
        return TimeSpan.FromSeconds(Math.Min(t, _warmup));
    }

    /// <summary>
    /// How long a scheduler sleeps, at <paramref name="now"/>, before a request due at <paramref name="due"/>: whole
    /// milliseconds (what a sleep can do), rounded up so that it wakes at most about a millisecond late and never early;
    /// at least 1 ms (no spinning) and at most 50 ms (a cancelled run stops promptly).
    /// </summary>
    public static int SleepMilliseconds(TimeSpan now, TimeSpan due) => (int)Math.Clamp(Math.Ceiling((due - now).TotalMilliseconds), 1, 50);

    /// <summary>Requests due by <paramref name="t"/> seconds into the warm-up.</summary>
    private double Arrivals(double t) => _warmup <= 0 ? 0 : _startRate * t + (_rate - _startRate) * t * t / (2 * _warmup);
}
