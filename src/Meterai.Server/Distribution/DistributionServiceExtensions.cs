using Meterai.Core.Distribution;
using Meterai.Server.Api;

namespace Meterai.Server.Distribution;

/// <summary>Issuing and distribution: the funds store, the distribution service, its start-up and recovery, and the endpoints.</summary>
public static class DistributionServiceExtensions
{
    public static WebApplicationBuilder AddDistribution(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IChannelFundsStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().ChannelFunds);
        builder.Services.AddSingleton<QuotaDistribution>();
        builder.Services.AddHostedService<DistributionWorker>();
        ErrorStatus.Register(StatusCodes.Status409Conflict, DistributionErrors.DepositInsufficient, DistributionErrors.IssuerStockInsufficient,
            DistributionErrors.ChannelStampsInsufficient, "debit_account_closed", "credit_account_closed");
        ErrorStatus.Register(StatusCodes.Status422UnprocessableEntity, DistributionErrors.IdempotencyKeyReused);
        return builder;
    }

    public static WebApplication MapDistributionEndpoints(this WebApplication app)
    {
        DistributionEndpoints.Map(app);
        return app;
    }
}

/// <summary>
/// Creates the issuer's stock account before traffic, then finishes allocations left half-way by a request that
/// died between the reservation and the ledger (every 30 s; idempotent, so any number of nodes may run it).
/// </summary>
internal sealed class DistributionWorker(QuotaDistribution distribution, ILogger<DistributionWorker> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await distribution.EnsureIssuerAccountsAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var n = await distribution.SettleStaleAllocationsAsync(TimeSpan.FromMinutes(1), stoppingToken);
                    if (n > 0) logger.LogWarning("settled {count} allocations left half-way", n);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "settling stale allocations failed; retrying on the next pass");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
