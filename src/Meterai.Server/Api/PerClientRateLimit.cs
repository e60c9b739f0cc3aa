using System.Threading.RateLimiting;

namespace Meterai.Server.Api;

/// <summary>
/// A per-client rate for work that costs a node far more than the request (a verification, a picture): a token bucket
/// per client key holding <c>perMinute</c> requests, refilled evenly over a minute, so a client may ask a burst and then
/// one every 60/N seconds. Counted before the work, so a refused client costs next to nothing. Per node: N nodes behind
/// a balancer allow N times the rate (each unit of work is bounded, so the sum stays bounded too). Idle clients'
/// buckets are dropped once full again, so memory follows the clients of the last minute. 0 or less: no limit.
/// </summary>
public class PerClientRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _period;

    public PerClientRateLimit(int perMinute)
    {
        if (perMinute <= 0) return;
        _period = TimeSpan.FromSeconds(60.0 / perMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when <paramref name="client"/> may go ahead now (and counts it); else how long it should wait.</summary>
    public TimeSpan? Refuse(string client)
    {
        if (_limiter is null) return null;
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : _period;
    }

    public void Dispose()
    {
        _limiter?.Dispose();
        GC.SuppressFinalize(this);
    }
}
