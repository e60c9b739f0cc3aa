using System.Net;
using System.Threading.RateLimiting;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Verification;

/// <summary>
/// Who the timestamp authority answers (issue 10, item 9: <c>POST /tsa</c> signed for anyone, 2,000 tokens in 1.8 s).
/// Stamping never asks over HTTP with the in-process authority (<c>Signing:Timestamp=inprocess</c>), so the endpoint
/// only serves: the addresses in <c>Signing:TsaAllowedClients</c> (comma-separated addresses or CIDR networks: the
/// nodes that timestamp through this one with <c>Signing:Timestamp=http(s)://…/tsa</c>, which sends no token), not
/// counted; and authenticated callers of the service, each up to <c>Signing:TsaPermitsPerMinute</c> (60) tokens a
/// minute on this node (a token bucket per principal; 429 <c>too_many_timestamps</c> past it). Everyone else gets 401.
/// </summary>
public sealed class TimestampAccess : IDisposable
{
    public const string TooMany = "too_many_timestamps";

    private readonly IPNetwork[] _allowed;
    private readonly PartitionedRateLimiter<UInt128> _callers;

    public TimestampAccess(IConfiguration configuration)
    {
        _allowed = ParseAllowed(configuration["Signing:TsaAllowedClients"]);
        PermitsPerMinute = Math.Max(1, configuration.GetValue("Signing:TsaPermitsPerMinute", 60));
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = PermitsPerMinute,
            TokensPerPeriod = PermitsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _callers = PartitionedRateLimiter.Create<UInt128, UInt128>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => options));
    }

    public int PermitsPerMinute { get; }

    /// <summary>Whether the connection comes from an allow-listed address (after Api:TrustedProxies' forwarding).</summary>
    public bool IsAllowListed(IPAddress? address)
    {
        if (address is null || _allowed.Length == 0) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _allowed)
        {
            if (network.Contains(address)) return true;
        }

        return false;
    }

    /// <summary>Takes one token for <paramref name="caller"/>; when none is left, how long until the next one.</summary>
    public (bool Granted, TimeSpan RetryAfter) TryTake(Principal caller)
    {
        using var lease = _callers.AttemptAcquire(caller.Id);
        if (lease.IsAcquired) return (true, TimeSpan.Zero);
        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _callers.Dispose();

    private static IPNetwork[] ParseAllowed(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => IPNetwork.TryParse(entry, out var network) ? network
                : IPAddress.TryParse(entry, out var ip) ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : throw new InvalidOperationException($"Signing:TsaAllowedClients: '{entry}' is not an IP address or a CIDR network"))
            .ToArray();
}
