using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// Deletes what identities leave behind once it can no longer matter: registrations and code challenges an hour past
/// their expiry, counter windows that have ended, throttle rows nobody has touched for longer than failures are
/// remembered. A flood of registrations or guesses writes a row per request; this keeps the tables at the size of
/// the last hour. Every statement is an idempotent DELETE, so any number of nodes may run it.
/// </summary>
internal sealed class IdentityHousekeepingService(
    IApplicantStore applicants,
    ICodeChallengeStore challenges,
    IWindowCounterStore counters,
    ILoginThrottleStore throttle,
    IdentityOptions options,
    IClock clock,
    ILogger<IdentityHousekeepingService> logger) : BackgroundService
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public async Task RunOnceAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var settings = options.Settings;
        await applicants.PurgeRegistrationsAsync(now - Grace, ct);
        await challenges.PurgeAsync(now - Grace, ct);
        await counters.PurgeAsync(now - settings.CodeLimits.Window, ct);
        await throttle.PurgeAsync(now - settings.LoginThrottle.Memory, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Housekeeping);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "identity housekeeping failed; trying again at the next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
