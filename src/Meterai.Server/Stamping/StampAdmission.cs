namespace Meterai.Server.Stamping;

/// <summary>
/// Bounds the stamp requests one node works on at once (<c>Stamping:MaxInFlight</c>, default 128; 0 turns the bound
/// off). Past it a request is answered at once, before its upload is read, with 503 <c>stamping_busy</c> and
/// Retry-After. Why: a node that queues without bound answers everyone late once a surge passes its capacity, and its
/// clients time out on work it still does; a node that sheds answers the admitted requests in time and tells the rest
/// when to come back. A shed request wrote nothing, so its retry under the same Idempotency-Key is a first attempt.
/// </summary>
public sealed class StampAdmission(IConfiguration configuration)
{
    private int _inFlight;

    public int Limit { get; } = Math.Max(0, configuration.GetValue("Stamping:MaxInFlight", 128));

    /// <summary>How long a shed client is asked to wait (<c>Stamping:BusyRetryAfterSeconds</c>, default 2).</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Stamping:BusyRetryAfterSeconds", 2)));

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Admits the request (then <see cref="Exit"/> must follow) or refuses it when the node is full.</summary>
    public bool TryEnter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        if (Limit == 0 || now <= Limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
