namespace Meterai.Server.Verification;

/// <summary>
/// Bounds the verifications one node runs at once (<c>Verification:MaxInFlight</c>, default the number of cores; 0
/// turns the bound off). Past it a verification is answered at once with 503 <c>verification_busy</c> and
/// Retry-After (<c>Verification:BusyRetryAfterSeconds</c>, default 2). The slot is taken once the upload has arrived,
/// around the engine's work only, so slow uploads cannot hold the slots. Why: each verification may use up to its work
/// budget (2 s of processor time, 256 MB); without a bound four amplifier files in parallel took a node to 2.1 GB, and
/// a queue without bound answers everyone late. With it, verification uses at most this many cores and budgets.
/// </summary>
public sealed class VerificationAdmission(IConfiguration configuration)
{
    private int _inFlight;

    public int Limit { get; } = Math.Max(0, configuration.GetValue("Verification:MaxInFlight", Environment.ProcessorCount));

    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Verification:BusyRetryAfterSeconds", 2)));

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Admits a verification (then <see cref="Exit"/> must follow) or refuses it when the node is full.</summary>
    public bool TryEnter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        if (Limit == 0 || now <= Limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
