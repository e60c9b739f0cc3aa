using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// What makes a still-unexpired channel token stop working: its API key was revoked or its channel suspended.
/// Checking the database on every request would cost a round trip per stamp, so each node keeps the (small) set in
/// memory and reloads it every <see cref="IdentityOptions.RevocationRefresh"/>: a revocation takes effect on the
/// node that made it at once and on every other node within that interval.
/// </summary>
public sealed class AccessRevocationCache(IChannelStore channels, IdentityOptions options, IClock clock)
{
    private volatile AccessRevocations _current = AccessRevocations.None;

    public bool IsRevoked(Principal principal) =>
        principal.IsChannel && (_current.RevokedApiKeys.Contains(principal.ApiKeyId) || _current.SuspendedChannels.Contains(principal.Id));

    public async Task RefreshAsync(CancellationToken ct)
    {
        // Keys revoked longer ago than a token lives (plus slack) cannot have live tokens left.
        var since = clock.UtcNow - options.AccessTokenLifetime - TimeSpan.FromMinutes(5);
        _current = await channels.RevocationsAsync(since, ct).ConfigureAwait(false);
    }
}

/// <summary>Loads the key ring and the revocations before the server takes traffic, then keeps both fresh.</summary>
internal sealed class IdentityRefreshService(TokenKeyRing keys, AccessRevocationCache revocations, IdentityOptions options, ILogger<IdentityRefreshService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        await revocations.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextKeys = DateTime.UtcNow + options.KeyRefresh;
        using var timer = new PeriodicTimer(options.RevocationRefresh);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await revocations.RefreshAsync(stoppingToken);
                    if (DateTime.UtcNow >= nextKeys)
                    {
                        await keys.LoadAsync(stoppingToken);
                        nextKeys = DateTime.UtcNow + options.KeyRefresh;
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "refreshing revocations or token keys failed; keeping the last ones");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
