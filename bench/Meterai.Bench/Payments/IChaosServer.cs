namespace Meterai.Bench.Payments;

/// <summary>
/// The server under test as something that can be killed like a crash (SIGKILL: no shutdown hooks, requests cut off)
/// and started again on the same database and port. The bench uses <see cref="ServerNode"/>; the test suite adapts its
/// TestSupport ServerProcess.
/// </summary>
public interface IChaosServer
{
    Uri BaseAddress { get; }

    bool IsRunning { get; }

    void Kill();

    Task StartAgainAsync(CancellationToken cancellationToken);
}
