using Meterai.Core.Common;

namespace Meterai.Core.Ledger;

/// <summary>
/// Voids pending transfers whose timeout has passed, so that reserved quota returns to its holder even when the
/// client that reserved it never comes back. Keeps no state of its own: the due transfers are found in the database
/// on each pass, so it survives restarts, and the store claims rows so that several nodes can sweep at once.
/// </summary>
public sealed class PendingTransferSweeper(ILedgerStore ledger, IClock clock, int batchSize = 1000)
{
    /// <summary>One pass: expires everything due now, batch after batch. Returns how many it expired.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var n = await ledger.ExpireDuePendingTransfersAsync(clock.UtcNow, batchSize, cancellationToken).ConfigureAwait(false);
            total += n;
            // A short batch means nothing more is due (or other nodes hold the rest): wait for the next pass.
            if (n < batchSize) return total;
        }
    }

    /// <summary>Sweeps every <paramref name="interval"/> until cancelled. A failed pass is reported and retried next time.</summary>
    public async Task RunAsync(TimeSpan interval, Action<Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await SweepOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(e);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
