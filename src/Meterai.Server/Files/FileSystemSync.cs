using System.Runtime.InteropServices;

namespace Meterai.Server.Files;

/// <summary>
/// Group commit for files: every caller waiting at one moment is made durable by one <c>syncfs(2)</c> of the file
/// store's file system (data and names of every file written before the call began), instead of an fsync of each
/// file and of its folder. A file fsync costs a journal commit and a disk flush of its own (10–30 ms each under load on
/// a virtual disk, and two per stamp); one syncfs a few milliseconds long serves every stamp that finished its file
/// meanwhile. Callers that arrive while a syncfs runs wait for the next one, which starts as soon as it returns: a
/// sync that began before a file was written does not cover it. Linux only (elsewhere the store fsyncs each file).
/// </summary>
public sealed partial class FileSystemSync : IDisposable
{
    private readonly int _fd;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _thread;
    private List<TaskCompletionSource> _waiting = [];
    private volatile bool _stopped;
    private long _rounds;

    /// <summary>Opens <paramref name="directory"/> (any folder of the file system to sync) and starts the sync thread.</summary>
    public FileSystemSync(string directory)
    {
        _fd = Libc.Open(directory, 0);
        if (_fd < 0) throw new IOException($"cannot open {directory} to sync its file system (errno {Marshal.GetLastPInvokeError()})");
        _thread = new Thread(Run) { IsBackground = true, Name = "meterai-syncfs" };
        _thread.Start();
    }

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>How many syncfs calls ran (each served every waiter of its round).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>Completes when everything written to the file system before this call is on disk.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            _waiting.Add(done);
            // One signal per round: the first waiter of a round wakes the thread; the rest ride along.
            if (_waiting.Count == 1) _signal.Release();
        }

        return done.Task;
    }

    private void Run()
    {
        while (true)
        {
            _signal.Wait();
            List<TaskCompletionSource> round;
            lock (_gate)
            {
                round = _waiting;
                _waiting = [];
                if (_stopped)
                {
                    foreach (var w in round) w.TrySetException(new ObjectDisposedException(nameof(FileSystemSync)));
                    return;
                }
            }

            if (round.Count == 0) continue;
            Interlocked.Increment(ref _rounds);
            var failed = Libc.Syncfs(_fd) == 0 ? null : new IOException($"syncfs failed (errno {Marshal.GetLastPInvokeError()})");
            foreach (var w in round)
            {
                if (failed is null) w.TrySetResult();
                else w.TrySetException(failed);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
        }

        _signal.Release();
        _thread.Join();
        Libc.Close(_fd);
        _signal.Dispose();
    }
}
