namespace Meterai.PaySim.Notifications;

/// <summary>
/// Wakes the outbox worker when a notification was written, so it goes out at once instead of at the next poll.
/// Only a hint: the worker also polls, and after a restart it finds everything from the store alone.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending: one wake-up covers any number of new rows.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
