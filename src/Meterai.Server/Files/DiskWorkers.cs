using System.Collections.Concurrent;

namespace Meterai.Server.Files;

/// <summary>
/// Threads of their own for blocking disk work (writing a stamped file and fsyncing it and its folder). Done on the
/// shared thread pool, a few hundred concurrent fsyncs of 10–30 ms each starve it, and every request's continuations
/// (database answers included) wait behind them. Many fsyncs in flight at once also let the file system commit its
/// journal once for several files. <c>Files:DiskThreads</c> (default 16).
/// </summary>
public sealed class DiskWorkers : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _queue = new();
    private readonly Thread[] _threads;

    public DiskWorkers(IConfiguration configuration)
    {
        _threads = new Thread[Math.Clamp(configuration.GetValue("Files:DiskThreads", 16), 1, 256)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"meterai-disk-{i}" };
            _threads[i].Start();
        }
    }

    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((work, done));
        return done.Task;
    }

    private void Run()
    {
        foreach (var (work, done) in _queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
