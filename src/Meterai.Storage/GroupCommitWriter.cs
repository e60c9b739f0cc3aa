using System.Collections.Concurrent;

namespace Meterai.Storage;

/// <summary>
/// Group commit: gathers the requests submitted concurrently into one batch and commits it in one durable
/// transaction, so that a commit (one fsync) is shared by every request waiting at that moment, and a hot row is
/// locked once per batch instead of once per request. While a batch commits, the next one gathers. Requests keep their
/// boundaries (a request is never split) and each gets its own result back. One writer per process and purpose: the
/// ledger's transfers (<see cref="Ledger.LedgerWriter"/>), the stamp journal's openings and closings.
/// </summary>
/// <remarks>
/// Disposing is a crash, on purpose: the batch in flight is cancelled (its transaction rolls back, or commits if the
/// COMMIT was already on its way), and every waiting caller gets an exception, which means "outcome unknown: retry
/// with the same ids". Hosts stop sending requests before they dispose, so in normal shutdowns nothing is in flight.
/// </remarks>
internal class GroupCommitWriter<TRequest, TResult> : IAsyncDisposable
{
    /// <summary>Commits one batch and returns one result per request, in order.</summary>
    public delegate Task<TResult[]> CommitBatch(IReadOnlyList<TRequest> requests, CancellationToken ct);

    private readonly ConcurrentQueue<Submission> _queue = new();
    private readonly CommitBatch _commit;
    private readonly Func<TRequest, int> _weight;
    private readonly int _maxWeight;
    private readonly string _name;
    private readonly TimeSpan _gatherWindow;
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _recentPeaks = new int[8];
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private int _queued;
    private int _outstanding;
    private int _peak;
    private int _wakeAt = int.MaxValue;
    private TaskCompletionSource? _wake;
    private int _batches;
    private volatile bool _closed;
    private int _disposing;

    /// <param name="name">What it writes, for the "disposed" message.</param>
    /// <param name="commit">Commits one batch.</param>
    /// <param name="weight">How much of a batch a request takes (the ledger: its transfers).</param>
    /// <param name="maxWeightPerBatch">Most weight in one transaction.</param>
    /// <param name="gatherWindow">Longest a new batch waits for the requests the previous ones suggest are coming.</param>
    public GroupCommitWriter(string name, CommitBatch commit, Func<TRequest, int> weight, int maxWeightPerBatch, TimeSpan gatherWindow)
    {
        _name = name;
        _commit = commit;
        _weight = weight;
        _maxWeight = Math.Max(1, maxWeightPerBatch);
        _gatherWindow = gatherWindow;
        _loop = Task.Run(LoopAsync);
    }

    public Task<TResult> SubmitAsync(TRequest request, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var submission = new Submission(request);
        NotePeak(Interlocked.Increment(ref _outstanding));
        _queue.Enqueue(submission);
        // Wake the loop only when as many requests wait as it asked for: one wake-up per batch, not one per request.
        if (Interlocked.Increment(ref _queued) >= Volatile.Read(ref _wakeAt)) Wake();
        // Disposed meanwhile: the loop may have drained the queue for the last time; answer "unknown" ourselves.
        if (_closed) submission.Done.TrySetException(Disposed());
        // A caller that stops waiting does not withdraw its request: it may already be committing.
        return submission.Done.Task.WaitAsync(ct);
    }

    /// <summary>Remembers the most requests outstanding at once (submitted, not yet answered) since the last batch.</summary>
    private void NotePeak(int outstanding)
    {
        int peak;
        while ((peak = Volatile.Read(ref _peak)) < outstanding && Interlocked.CompareExchange(ref _peak, outstanding, peak) != peak)
        {
        }
    }

    private void Wake()
    {
        lock (_gate) _wake?.TrySetResult();
    }

    /// <summary>Waits until <paramref name="requests"/> requests are queued, the deadline passes (0: none), or disposal.</summary>
    private async Task WaitForAsync(int requests, long deadline)
    {
        TaskCompletionSource wake;
        lock (_gate) wake = _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Publish the threshold before looking at the count; submitters count before looking at the threshold. With
        // both as full fences one of the two always sees the other, so no wake-up is lost.
        Interlocked.Exchange(ref _wakeAt, requests);
        try
        {
            if (Volatile.Read(ref _queued) >= requests) return;
            if (deadline == 0)
            {
                await wake.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                return;
            }

            var left = deadline - Environment.TickCount64;
            if (left > 0) await wake.Task.WaitAsync(TimeSpan.FromMilliseconds(left), _stop.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _wakeAt, int.MaxValue);
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await WaitForAsync(1, deadline: 0).ConfigureAwait(false);
                await GatherAsync().ConfigureAwait(false);
                var batch = Take();
                if (batch.Count == 0) continue;
                _recentPeaks[_batches++ % _recentPeaks.Length] = Interlocked.Exchange(ref _peak, Volatile.Read(ref _outstanding));
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        while (_queue.TryDequeue(out var left)) left.Done.TrySetException(Disposed());
    }

    private ObjectDisposedException Disposed() =>
        new(_name, $"the {_name} was disposed: the outcome of this request is unknown; retry it with the same ids");

    /// <summary>
    /// When a commit completes, its submitters come back one by one; starting the next batch with only the first of
    /// them would split them into ever smaller commits (or two cohorts taking turns), and every commit has a fixed
    /// cost. So when recently more requests were outstanding at once than are queued now, wait (at most the gather
    /// window) until as many are queued. Under light load one request is outstanding at a time and nothing waits.
    /// </summary>
    private async Task GatherAsync()
    {
        var expected = Math.Min(_recentPeaks.Max(), _maxWeight);
        if (_gatherWindow <= TimeSpan.Zero || Volatile.Read(ref _queued) >= expected) return;
        await WaitForAsync(expected, Environment.TickCount64 + Math.Max(1, (long)Math.Ceiling(_gatherWindow.TotalMilliseconds))).ConfigureAwait(false);
    }

    /// <summary>Takes queued requests up to the batch size; a request is never split (a large one opens the next batch).</summary>
    private List<Submission> Take()
    {
        var batch = new List<Submission>();
        var weight = 0;
        while (weight < _maxWeight && _queue.TryPeek(out var next))
        {
            var w = _weight(next.Request);
            if (weight > 0 && weight + w > _maxWeight) break;
            _queue.TryDequeue(out _);
            Interlocked.Decrement(ref _queued);
            batch.Add(next);
            weight += w;
        }

        return batch;
    }

    private async Task CommitAsync(List<Submission> batch)
    {
        try
        {
            var results = await _commit(batch.Select(s => s.Request).ToList(), _stop.Token).ConfigureAwait(false);
            Interlocked.Add(ref _outstanding, -batch.Count);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            // Unknown outcome for everyone in the batch (a crash, or the database gone): they retry with the same ids.
            Interlocked.Add(ref _outstanding, -batch.Count);
            foreach (var s in batch) s.Done.TrySetException(e);
            if (_stop.IsCancellationRequested) throw new OperationCanceledException(_stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a host may dispose the store both directly and through the database that owns it.
        if (Interlocked.Exchange(ref _disposing, 1) == 1) return;
        _closed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        while (_queue.TryDequeue(out var left)) left.Done.TrySetException(Disposed());
        _stop.Dispose();
    }

    private sealed class Submission(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
