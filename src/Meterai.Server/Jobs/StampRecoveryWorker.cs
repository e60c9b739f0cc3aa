using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Stamping;
using Meterai.Server.Files;
using Meterai.Server.Stamping;

namespace Meterai.Server.Jobs;

/// <summary>
/// Finishes or gives up stamps whose node died mid-way and whose client did not come back within
/// <c>Stamping:RecoveryGraceSeconds</c> of the lease's end: a published output is finished (posted, bound, completed:
/// the applicant downloads it later); a job goes back to the queue; anything else is abandoned (reservation voided,
/// serial released, recorded failed and retryable, so nothing stays charged). Every node runs it; claims are
/// exclusive. Interval <c>Stamping:RecoveryIntervalSeconds</c> (default 2).
/// </summary>
internal sealed class StampRecoveryWorker(
    IStampStore stamps,
    StampProcessor processor,
    StampFileStore files,
    StampSettings settings,
    IConfiguration configuration,
    IClock clock,
    ILogger<StampRecoveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.05, configuration.GetValue("Stamping:RecoveryIntervalSeconds", 2.0))));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RecoverOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "recovering interrupted stamps failed; retrying on the next pass");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<int> RecoverOnceAsync(CancellationToken ct)
    {
        var token = LedgerId.New(clock);
        var claimed = await stamps.ClaimAbandonedAsync(token, clock.UtcNow - settings.RecoveryGrace, clock.UtcNow + settings.Lease, 20, ct);
        foreach (var s in claimed)
        {
            try
            {
                if (s.IsJob && File.Exists(files.JobInputPath(s.Id)))
                {
                    await stamps.QueueAsync(s.Id, token, clock.UtcNow, "the node running this job stopped", ct);
                }
                else if (File.Exists(files.OutputPath(s.Id, s.Attempt)))
                {
                    var run = await processor.RunAsync(s, token, () => throw new InvalidOperationException("a published stamp is finished, never stamped again"), null, ct);
                    if (run is StampRun.Completed done) done.Output?.Dispose();
                    logger.LogWarning("finished interrupted stamp {stamp_id}: {outcome}", PublicId.Format(s.Id), run.GetType().Name);
                }
                else
                {
                    await processor.AbandonAsync(s, token, StampErrors.Interrupted,
                        "the stamp was interrupted before it was made and nobody retried; nothing was charged: retry to stamp", ct);
                    logger.LogWarning("abandoned interrupted stamp {stamp_id} attempt {attempt}", PublicId.Format(s.Id), s.Attempt);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "recovering stamp {stamp_id} failed; it will be claimed again after its lease", PublicId.Format(s.Id));
            }
        }

        return claimed.Count;
    }
}
