using System.Globalization;

namespace Meterai.PaySim.Faults;

/// <summary>What the provider does when it is down: answer 503, or drop connections without an answer.</summary>
public enum OutageMode
{
    /// <summary>Every API call is answered 503 with code provider_unavailable.</summary>
    Unavailable,

    /// <summary>Every API connection is reset before an answer: the client sees a transport error.</summary>
    Reset,
}

/// <summary>
/// How badly the sandbox behaves. Probabilities are per notification (duplicate, reorder, drop, delay) or per API
/// call (slow); each decision is drawn from the seeded <see cref="SeededChance"/>, so the same seed and the same orders
/// give the same decisions in every run.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Chance that a notification is sent more than once (2..<see cref="MaxCopies"/> copies).</summary>
    public double Duplicate { get; init; }

    public int MaxCopies { get; init; } = 3;

    /// <summary>Chance that a notification is held back until a later notification of the same order was delivered.</summary>
    public double Reorder { get; init; }

    /// <summary>A held notification goes out after this long even when no later one comes.</summary>
    public TimeSpan ReorderHoldMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Chance that a notification is never sent: only the status API and the settlement report tell.</summary>
    public double Drop { get; init; }

    /// <summary>Chance that a notification is held for <see cref="DelayFor"/> before its first attempt.</summary>
    public double Delay { get; init; }

    public TimeSpan DelayFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Chance that an API answer (/v2/…, /pay/…) is held for <see cref="SlowFor"/>.</summary>
    public double Slow { get; init; }

    public TimeSpan SlowFor { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Zero: no scheduled outages. Otherwise an outage starts every this long after start-up…</summary>
    public TimeSpan OutageEvery { get; init; }

    /// <summary>…and lasts this long.</summary>
    public TimeSpan OutageFor { get; init; } = TimeSpan.FromSeconds(10);

    public OutageMode OutageMode { get; init; } = OutageMode.Unavailable;

    /// <summary>Null when the settings make sense, else what is wrong (for a 400 or a CLI error).</summary>
    public string? Validate()
    {
        foreach (var (name, p) in new[] { ("duplicate", Duplicate), ("reorder", Reorder), ("drop", Drop), ("delay", Delay), ("slow", Slow) })
        {
            if (double.IsNaN(p) || p < 0 || p > 1) return $"{name} must be a probability between 0 and 1, not {p.ToString(CultureInfo.InvariantCulture)}";
        }

        if (MaxCopies is < 2 or > 10) return "max copies must be between 2 and 10";
        foreach (var (name, t) in new[] { ("reorder hold", ReorderHoldMax), ("delay", DelayFor), ("slow", SlowFor), ("outage every", OutageEvery), ("outage for", OutageFor) })
        {
            if (t < TimeSpan.Zero || t > TimeSpan.FromDays(1)) return $"{name} must be between 0 and 1 day";
        }

        if (OutageEvery > TimeSpan.Zero && OutageFor >= OutageEvery) return "an outage must be shorter than the interval between outages";
        return null;
    }
}
