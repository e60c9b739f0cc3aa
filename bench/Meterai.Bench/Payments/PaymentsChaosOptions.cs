namespace Meterai.Bench.Payments;

/// <summary>How the chaos scenario runs (the faults themselves are the sandbox's settings).</summary>
/// <param name="Buyers">Concurrent buyers, one order each.</param>
/// <param name="Concurrency">Buyers in flight at once.</param>
/// <param name="Kills">SIGKILL + restart cycles of the server while buyers order and pay.</param>
/// <param name="KillEvery">Pause between a restart and the next kill.</param>
/// <param name="OrderExpiry">The server's order expiry (late payers wait this long before trying to pay).</param>
/// <param name="ConvergeWithin">Longest wait, after the buyers are done, for reconciliation to settle everything.</param>
/// <param name="ArrivalWindow">Buyers arrive evenly over this long, so that the kills land while orders are placed and paid.</param>
public sealed record PaymentsChaosOptions(
    int Buyers,
    int Concurrency,
    int Kills,
    TimeSpan KillEvery,
    TimeSpan OrderExpiry,
    TimeSpan ConvergeWithin,
    TimeSpan ArrivalWindow)
{
    /// <summary>Share of buyers who never pay (their orders expire).</summary>
    public double NeverPay { get; init; } = 0.10;

    /// <summary>Share of buyers who press "pay" twice.</summary>
    public double PayTwice { get; init; } = 0.05;

    /// <summary>Share of buyers who try to pay only after the order expired (the provider refuses: nothing may be credited).</summary>
    public double PayAfterExpiry { get; init; } = 0.05;

    public int MaxQuantity { get; init; } = 3;

    public int Seed { get; init; } = 7;

    /// <summary>How long a killed server stays down before it is started again.</summary>
    public TimeSpan DownFor { get; init; } = TimeSpan.FromMilliseconds(500);
}
