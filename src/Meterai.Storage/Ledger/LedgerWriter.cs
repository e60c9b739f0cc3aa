using System.Threading.Channels;
using Meterai.Core.Ledger;

namespace Meterai.Storage.Ledger;

/// <summary>
/// One writer per process and store: gathers the transfer requests submitted concurrently into one batch and commits
/// it in one durable transaction, so that a commit (one fsync) is shared by every request waiting at that moment, and a
/// hot account's row is locked once per batch instead of once per transfer. While a batch commits, the next one
/// gathers. Requests keep their boundaries (linked chains never cross them) and each gets its own results back.
/// </summary>
/// <remarks>
/// Disposing is a crash, on purpose: the batch in flight is cancelled (its transaction rolls back, or commits if the
/// COMMIT was already on its way), and every waiting caller gets an exception, which means "outcome unknown: retry
/// with the same ids". Hosts stop sending requests before they dispose, so in normal shutdowns nothing is in flight.
/// </remarks>
internal sealed class LedgerWriter : IAsyncDisposable
{
    /// <summary>Commits one batch and returns one result array per request.</summary>
    public delegate Task<TransferResult[][]> CommitBatch(IReadOnlyList<IReadOnlyList<Transfer>> requests, CancellationToken ct);

    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CommitBatch _commit;
    private readonly int _maxTransfers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LedgerWriter(CommitBatch commit, int maxTransfersPerBatch)
    {
        _commit = commit;
        _maxTransfers = Math.Max(1, maxTransfersPerBatch);
        _loop = Task.Run(LoopAsync);
    }

    public Task<TransferResult[]> SubmitAsync(IReadOnlyList<Transfer> transfers, CancellationToken ct)
    {
        if (transfers.Count == 0) return Task.FromResult(Array.Empty<TransferResult>());
        var submission = new Submission(transfers);
        if (!_queue.Writer.TryWrite(submission)) throw new ObjectDisposedException(nameof(LedgerWriter));
        // A caller that stops waiting does not withdraw its request: it may already be committing.
        return submission.Done.Task.WaitAsync(ct);
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        Submission? carried = null;
        try
        {
            while (carried is not null || await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                var batch = new List<Submission>();
                var count = 0;
                if (carried is not null)
                {
                    batch.Add(carried);
                    count = carried.Transfers.Count;
                    carried = null;
                }

                while (count < _maxTransfers && reader.TryRead(out var next))
                {
                    if (count > 0 && count + next.Transfers.Count > _maxTransfers)
                    {
                        carried = next; // a request is never split: it opens the next batch
                        break;
                    }

                    batch.Add(next);
                    count += next.Transfers.Count;
                }

                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        var disposed = new ObjectDisposedException(nameof(LedgerWriter), "the ledger store was disposed: the outcome of this request is unknown; retry it with the same ids");
        carried?.Done.TrySetException(disposed);
        while (reader.TryRead(out var left)) left.Done.TrySetException(disposed);
    }

    private async Task CommitAsync(List<Submission> batch)
    {
        try
        {
            var results = await _commit(batch.Select(s => s.Transfers).ToList(), _stop.Token).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            // Unknown outcome for everyone in the batch (a crash, or the database gone): they retry with the same ids.
            foreach (var s in batch) s.Done.TrySetException(e);
            if (_stop.IsCancellationRequested) throw new OperationCanceledException(_stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Submission(IReadOnlyList<Transfer> transfers)
    {
        public IReadOnlyList<Transfer> Transfers { get; } = transfers;

        public TaskCompletionSource<TransferResult[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
