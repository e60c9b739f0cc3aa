using Meterai.Core.Orders;

namespace Meterai.Server.Payments;

/// <summary>
/// Hosts <see cref="PaymentReconciler"/> in every server process: orders whose payment news never came are asked about,
/// paid ones credited, unpaid ones expired, refunds completed, the settlement report matched. Every node runs one; the
/// database's claims (SKIP LOCKED, leases) make that safe, and a pass that fails (database or provider down) is logged
/// and retried on the next tick, never crashing the server.
/// </summary>
internal sealed class ReconciliationService(PaymentReconciler reconciler, PaymentsConfiguration configuration, ILogger<ReconciliationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.ReconciliationEnabled) return;
        try
        {
            await reconciler.RunAsync(configuration.Settings.ReconcileInterval,
                pass =>
                {
                    if (pass.Credited + pass.Expired + pass.RefundsCompleted + (pass.Settlement?.Credited ?? 0) + (pass.Settlement?.Mismatches ?? 0) > 0)
                    {
                        logger.LogInformation("reconciliation: {Checked} orders checked, {Credited} credited, {Expired} expired, {Errors} provider errors, {Refunds} refunds completed; settlement: {Settlement}",
                            pass.Checked, pass.Credited, pass.Expired, pass.ProviderErrors, pass.RefundsCompleted, pass.Settlement);
                    }
                    else if (pass.ProviderErrors > 0)
                    {
                        logger.LogWarning("reconciliation: the provider did not answer for {Errors} of {Checked} orders; backing off", pass.ProviderErrors, pass.Checked);
                    }
                },
                e => logger.LogWarning(e, "a reconciliation pass failed; retrying on the next one"),
                stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
