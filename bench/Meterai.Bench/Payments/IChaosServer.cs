namespace Meterai.Bench.Payments;

/// <summary>
/// The server under test as something that can be killed like a crash (SIGKILL: no shutdown hooks, requests cut off)
/// and started again on the same database and port. Implemented by <see cref="ServerNode"/>, which the bench uses directly
/// and the test suite through TestSupport's ServerProcess.
/// </summary>
public interface IChaosServer
{
    Uri BaseAddress { get; }

    bool IsRunning { get; }

    void Kill();

    Task StartAgainAsync(CancellationToken cancellationToken);
}
