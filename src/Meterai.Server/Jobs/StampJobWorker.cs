using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Stamping;
using Meterai.Server.Files;
using Meterai.Server.Stamping;

namespace Meterai.Server.Jobs;

/// <summary>
/// Stamps queued jobs (files over <c>Stamping:AsyncThresholdBytes</c>) on every node: claims due jobs from the
/// database (SKIP LOCKED on PostgreSQL), runs the same steps as a synchronous stamp from the stored upload, renews its
/// lease while a large file takes long, and queues a job again with a growing delay after a passing failure
/// (<c>Stamping:JobMaxRuns</c> runs at most). Poll interval <c>Stamping:JobPollSeconds</c> (default 1).
/// </summary>
internal sealed class StampJobWorker(
    IStampStore stamps,
    StampProcessor processor,
    StampFileStore files,
    StampSettings settings,
    IConfiguration configuration,
    IClock clock,
    ILogger<StampJobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(0.05, configuration.GetValue("Stamping:JobPollSeconds", 1.0)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var token = LedgerId.New(clock);
                var claimed = await stamps.ClaimJobsAsync(token, clock.UtcNow, clock.UtcNow + settings.Lease, settings.JobConcurrency, stoppingToken);
                if (claimed.Count == 0)
                {
                    await Task.Delay(poll, stoppingToken);
                    continue;
                }

                await Task.WhenAll(claimed.Select(job => RunAsync(job, token, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "claiming stamp jobs failed; retrying");
                await Task.Delay(poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunAsync(StampRecord job, UInt128 token, CancellationToken ct)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewAsync(job.Id, token, renewing.Token);
        try
        {
            var input = files.JobInputPath(job.Id);
            if (!File.Exists(input))
            {
                await processor.AbandonAsync(job, token, StampErrors.JobFailed, "the job's upload is missing from the file store; send the file again", ct);
                return;
            }

            var run = await processor.RunAsync(job, token, () => new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess), null, ct);
            if (run is StampRun.Completed done) done.Output?.Dispose();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "job {stamp_id} run {run} failed", PublicId.Format(job.Id), job.JobRuns);
            if (job.JobRuns < settings.JobMaxRuns) await stamps.QueueAsync(job.Id, token, clock.UtcNow + TimeSpan.FromSeconds(5 * Math.Pow(2, job.JobRuns)), e.Message, CancellationToken.None);
            else await processor.AbandonAsync(job, token, StampErrors.JobFailed, "the job failed too many times; retry to stamp again", CancellationToken.None);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
    }

    private async Task RenewAsync(UInt128 id, UInt128 token, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(settings.Lease / 3, ct);
                if (!await stamps.RenewLeaseAsync(id, token, clock.UtcNow + settings.Lease, ct)) return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "renewing the lease of job {stamp_id} failed", PublicId.Format(id));
        }
    }
}
