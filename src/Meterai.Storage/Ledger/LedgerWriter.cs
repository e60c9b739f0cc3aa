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
    private readonly TimeSpan _gatherWindow;
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _recentRequestCounts = new int[8];
    private readonly Task _loop;
    private int _batches;
    private int _disposed;

    /// <param name="commit">Commits one batch.</param>
    /// <param name="maxTransfersPerBatch">Most transfers in one transaction.</param>
    /// <param name="gatherWindow">Longest a new batch waits for the requests the previous ones suggest are coming.</param>
    public LedgerWriter(CommitBatch commit, int maxTransfersPerBatch, TimeSpan gatherWindow)
    {
        _commit = commit;
        _maxTransfers = Math.Max(1, maxTransfersPerBatch);
        _gatherWindow = gatherWindow;
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

                carried = await GatherAsync(reader, batch, count).ConfigureAwait(false);
                _recentRequestCounts[_batches++ % _recentRequestCounts.Length] = batch.Count;
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

    /// <summary>
    /// Takes what is queued. When a commit completes, its submitters come back one by one; starting the next batch with
    /// only the first of them would split one wave of requests into many small commits. So when recent batches were
    /// larger than what is queued, wait (at most the gather window) for about as many requests as they held. Under
    /// light load recent batches are single requests and nothing waits.
    /// </summary>
    /// <returns>A request that did not fit and opens the next batch, or null.</returns>
    private async Task<Submission?> GatherAsync(ChannelReader<Submission> reader, List<Submission> batch, int count)
    {
        var expected = _recentRequestCounts.Max();
        long deadline = 0;
        while (true)
        {
            while (count < _maxTransfers && reader.TryRead(out var next))
            {
                if (count > 0 && count + next.Transfers.Count > _maxTransfers) return next; // a request is never split
                batch.Add(next);
                count += next.Transfers.Count;
            }

            if (count >= _maxTransfers || batch.Count >= expected || _gatherWindow <= TimeSpan.Zero) return null;
            if (deadline == 0) deadline = Environment.TickCount64 + Math.Max(1, (long)_gatherWindow.TotalMilliseconds);
            var left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            wait.CancelAfter(TimeSpan.FromMilliseconds(left));
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) return null;
            }
            catch (OperationCanceledException)
            {
                // The window closed, or the store is being disposed: either way the gathered requests go to the
                // commit, which answers them (when disposing, with "outcome unknown"). Never drop them here.
                return null;
            }
        }
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
        // Idempotent: a host may dispose the store both directly and through the database that owns it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
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
