using System.Threading.RateLimiting;

namespace Meterai.Server.Verification;

/// <summary>
/// The per-client rate of verifications (<c>Verification:PerClientPerMinute</c>), keyed by
/// <see cref="Api.ClientAddress"/>: a token bucket per client holding that many verifications, refilled evenly over a
/// minute, so a client may verify a burst and then one every 60/N seconds. Counted before the upload is read, so a
/// refused client costs the node next to nothing. Per node: N nodes behind a balancer allow N times the rate (each
/// verification is bounded by its work budget, so the sum stays bounded too); a shared counter can come with them.
/// Idle clients' buckets are dropped once full again, so memory follows the clients of the last minute.
/// </summary>
public sealed class VerificationRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _period;

    public VerificationRateLimit(VerificationSettings settings)
    {
        var perMinute = settings.PerClientPerMinute;
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

    /// <summary>Null when <paramref name="client"/> may verify now (and counts it); else how long it should wait.</summary>
    public TimeSpan? Refuse(string client)
    {
        if (_limiter is null) return null;
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : _period;
    }

    public void Dispose() => _limiter?.Dispose();
}
