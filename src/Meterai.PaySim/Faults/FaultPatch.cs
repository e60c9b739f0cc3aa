namespace Meterai.PaySim.Faults;

/// <summary>
/// The JSON of GET/POST /sim/faults (snake_case on the wire): every member optional, so a POST changes only what it
/// names. Times are in seconds (fractions allowed, e.g. 0.2).
/// </summary>
public sealed record FaultPatch
{
    public double? Duplicate { get; init; }
    public int? MaxCopies { get; init; }
    public double? Reorder { get; init; }
    public double? ReorderHoldSeconds { get; init; }
    public double? Drop { get; init; }
    public double? Delay { get; init; }
    public double? DelaySeconds { get; init; }
    public double? Slow { get; init; }
    public double? SlowSeconds { get; init; }
    public double? OutageEverySeconds { get; init; }
    public double? OutageForSeconds { get; init; }

    /// <summary>"unavailable" (503) or "reset" (connections dropped).</summary>
    public string? OutageMode { get; init; }

    public static FaultPatch From(FaultSettings s) => new()
    {
        Duplicate = s.Duplicate,
        MaxCopies = s.MaxCopies,
        Reorder = s.Reorder,
        ReorderHoldSeconds = s.ReorderHoldMax.TotalSeconds,
        Drop = s.Drop,
        Delay = s.Delay,
        DelaySeconds = s.DelayFor.TotalSeconds,
        Slow = s.Slow,
        SlowSeconds = s.SlowFor.TotalSeconds,
        OutageEverySeconds = s.OutageEvery.TotalSeconds,
        OutageForSeconds = s.OutageFor.TotalSeconds,
        OutageMode = OutageModeName(s.OutageMode),
    };

    /// <summary>The settings with this patch applied, or what is wrong with it.</summary>
    public (FaultSettings? Settings, string? Error) ApplyTo(FaultSettings s)
    {
        var mode = s.OutageMode;
        if (OutageMode is not null && !TryParseOutageMode(OutageMode, out mode)) return (null, $"outage_mode must be \"unavailable\" or \"reset\", not \"{OutageMode}\"");
        foreach (var seconds in new[] { ReorderHoldSeconds, DelaySeconds, SlowSeconds, OutageEverySeconds, OutageForSeconds })
        {
            if (seconds is { } v && (double.IsNaN(v) || v < 0 || v > 86_400)) return (null, "times must be between 0 and 86400 seconds");
        }

        var result = s with
        {
            Duplicate = Duplicate ?? s.Duplicate,
            MaxCopies = MaxCopies ?? s.MaxCopies,
            Reorder = Reorder ?? s.Reorder,
            ReorderHoldMax = Seconds(ReorderHoldSeconds) ?? s.ReorderHoldMax,
            Drop = Drop ?? s.Drop,
            Delay = Delay ?? s.Delay,
            DelayFor = Seconds(DelaySeconds) ?? s.DelayFor,
            Slow = Slow ?? s.Slow,
            SlowFor = Seconds(SlowSeconds) ?? s.SlowFor,
            OutageEvery = Seconds(OutageEverySeconds) ?? s.OutageEvery,
            OutageFor = Seconds(OutageForSeconds) ?? s.OutageFor,
            OutageMode = mode,
        };
        return result.Validate() is { } error ? (null, error) : (result, null);
    }

    public static string OutageModeName(OutageMode mode) => mode == Faults.OutageMode.Reset ? "reset" : "unavailable";

    public static bool TryParseOutageMode(string text, out OutageMode mode)
    {
        switch (text)
        {
            case "unavailable" or "503":
                mode = Faults.OutageMode.Unavailable;
                return true;
            case "reset":
                mode = Faults.OutageMode.Reset;
                return true;
            default:
                mode = Faults.OutageMode.Unavailable;
                return false;
        }
    }

    private static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;
}
