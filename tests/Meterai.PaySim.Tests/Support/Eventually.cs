namespace Meterai.PaySim.Tests.Support;

/// <summary>
/// Waits for something the sandbox does in the background (a delivery, a retry, an expiry). The bound is only there
/// so a broken build fails instead of hanging; it is generous and says nothing about speed.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"still not {what} after {Bound.TotalSeconds:0} s; last seen: {value}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    public static Task Until(Func<bool> done, string what) => Until(() => Task.FromResult(done()), d => d, what);
}
