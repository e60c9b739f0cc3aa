using Meterai.Core.Common;
using Meterai.Core.Ledger;

namespace Meterai.Server;

/// <summary>
/// Hosts <see cref="PendingTransferSweeper"/> in every server process: expired reservations are voided even if the
/// node that made them is gone. Every node runs one; the database's claim (SKIP LOCKED on PostgreSQL, the write lock
/// on SQLite) and deterministic void ids make that safe. Interval: <c>Ledger:SweepIntervalSeconds</c> (default 1).
/// </summary>
internal sealed class PendingTransferSweeperService(ILedgerStore ledger, IClock clock, IConfiguration configuration, ILogger<PendingTransferSweeperService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Ledger:SweepIntervalSeconds", 1.0);
        var sweeper = new PendingTransferSweeper(ledger, clock);
        try
        {
            await sweeper.RunAsync(TimeSpan.FromSeconds(Math.Max(0.05, seconds)),
                e => logger.LogWarning(e, "sweeping expired pending transfers failed; retrying on the next pass"), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
