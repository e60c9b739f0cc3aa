using Meterai.PaySim.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meterai.PaySim.Transactions;

/// <summary>
/// Expires pending transactions whose time is up, each with its `expire` notification. Safe across restarts: it keeps
/// no state of its own; each expiry is a conditional update (only a still-pending transaction moves), so a sweep
/// interrupted by a kill is simply done again.
/// </summary>
internal sealed class ExpirySweeper(TransactionStore transactions, PaySimOptions options, ILogger<ExpirySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ExpirySweepInterval);
        do
        {
            try
            {
                foreach (var orderId in transactions.PendingPastExpiry(500))
                {
                    if (stoppingToken.IsCancellationRequested) break;
                    await transactions.ExpireAsync(orderId, force: false);
                }
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                logger.LogWarning(e, "expiry sweep failed; the next one tries again");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
