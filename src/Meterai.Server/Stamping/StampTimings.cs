using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Meterai.Server.Stamping;

/// <summary>
/// Where a stamp's time goes, step by step (wall time per step, summed over all stamps): how the load figures in
/// docs/benchmarks.md were taken apart. Off unless <c>Stamping:LogTimings=true</c>; then every 10 s (or
/// <c>Stamping:LogTimingsSeconds</c>) the averages of the last interval are logged. Counting costs two timestamps and two interlocked adds per step.
/// </summary>
public sealed class StampTimings(IConfiguration configuration)
{
    public static readonly string[] Steps =
        ["upload", "begin", "reserve_quota", "prepare", "reserve_serial", "sign_timestamp", "publish", "post", "bind", "complete", "answer"];

    private readonly long[] _ticks = new long[Steps.Length];
    private readonly long[] _counts = new long[Steps.Length];

    public bool Enabled { get; } = configuration.GetValue("Stamping:LogTimings", false);

    /// <summary>How often the averages are logged (<c>Stamping:LogTimingsSeconds</c>, default 10).</summary>
    public double IntervalSeconds { get; } = configuration.GetValue("Stamping:LogTimingsSeconds", 10.0);

    public long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Adds the time since <paramref name="started"/> to step <paramref name="step"/> and returns now (the next step's start).</summary>
    public long Lap(int step, long started)
    {
        if (!Enabled) return 0;
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ticks[step], now - started);
        Interlocked.Increment(ref _counts[step]);
        return now;
    }

    private TimeSpan _lastPause = GC.GetTotalPauseDuration();
    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    private readonly int[] _lastCollections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>Averages per step since the last call (and resets them), then the runtime's side of the interval.</summary>
    public string Drain()
    {
        var b = new StringBuilder();
        var pause = GC.GetTotalPauseDuration();
        b.Append(CultureInfo.InvariantCulture,
            $"gc pauses {(pause - _lastPause).TotalMilliseconds:0} ms (gen0 {GC.CollectionCount(0) - _lastCollections[0]}, gen1 {GC.CollectionCount(1) - _lastCollections[1]}, gen2 {GC.CollectionCount(2) - _lastCollections[2]}); ");
        b.Append(CultureInfo.InvariantCulture, $"thread pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} queued; ");
        var allocated = GC.GetTotalAllocatedBytes();
        var answered = Interlocked.Read(ref _counts[Step.Answer]);
        if (answered > 0) b.Append(CultureInfo.InvariantCulture, $"allocated {(allocated - _lastAllocated) / answered / 1024.0:0} KiB per answered stamp (whole process); ");
        _lastAllocated = allocated;
        _lastPause = pause;
        for (var g = 0; g < 3; g++) _lastCollections[g] = GC.CollectionCount(g);
        for (var i = 0; i < Steps.Length; i++)
        {
            var ticks = Interlocked.Exchange(ref _ticks[i], 0);
            var count = Interlocked.Exchange(ref _counts[i], 0);
            if (count == 0) continue;
            b.Append(CultureInfo.InvariantCulture, $"{Steps[i]} {ticks * 1000.0 / Stopwatch.Frequency / count:0.00} ms (n={count}); ");
        }

        return b.ToString();
    }

    public static class Step
    {
        public const int Upload = 0, Begin = 1, ReserveQuota = 2, Prepare = 3, ReserveSerial = 4, SignTimestamp = 5, Publish = 6, Post = 7, Bind = 8, Complete = 9, Answer = 10;
    }
}

/// <summary>Logs <see cref="StampTimings"/> every 10 s when they are on.</summary>
internal sealed class StampTimingsLogger(StampTimings timings, ILogger<StampTimings> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!timings.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, timings.IntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var line = timings.Drain();
                if (line.Length > 0) logger.LogWarning("stamp step averages: {timings}", line);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
