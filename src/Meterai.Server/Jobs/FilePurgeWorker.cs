using Meterai.Core.Common;
using Meterai.Core.Stamping;
using Meterai.Server.Files;

namespace Meterai.Server.Jobs;

/// <summary>
/// Deletes stamped files past their retention window (<c>Stamping:FileRetentionHours</c>, default 72) and temporary
/// files abandoned by a dead process; the registry keeps serial ↔ SHA-256 forever. Rows are claimed so that several
/// nodes share the work; deleting is idempotent. Interval <c>Stamping:PurgeIntervalSeconds</c> (default 60).
/// </summary>
internal sealed class FilePurgeWorker(IStampStore stamps, StampFileStore files, IConfiguration configuration, IClock clock, ILogger<FilePurgeWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.05, configuration.GetValue("Stamping:PurgeIntervalSeconds", 60.0))));
        try
        {
            do
            {
                try
                {
                    await PurgeOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "purging expired files failed; retrying on the next pass");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<int> PurgeOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var n = await stamps.PurgeExpiredFilesAsync(clock.UtcNow, 500, s =>
            {
                files.DeleteOutputs(s.Id, s.Attempt);
                return Task.CompletedTask;
            }, ct);
            total += n;
            if (n < 500) break;
        }

        files.RemoveAbandonedTempFiles(TimeSpan.FromHours(1));
        if (total > 0) logger.LogInformation("purged {count} stamped files past their retention", total);
        return total;
    }
}
