using Meterai.Server.Stamping;

namespace Meterai.Server.Tests.Stamping;

/// <summary>The per-caller counter behind stamping admission: never past its bound per key, and empty again once every caller has left.</summary>
public sealed class KeyedCounterTests
{
    [Fact]
    public async Task Racing_callers_never_exceed_a_keys_bound_and_leave_nothing_behind()
    {
        var counter = new KeyedCounter();
        const int limit = 3;
        var keys = new UInt128[] { 1, 2, 3 };
        var peak = new int[keys.Length];
        var refused = 0;
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var k = (w + i) % keys.Length;
                if (!counter.TryEnter(keys[k], limit))
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                var now = counter.CountOf(keys[k]);
                InterlockedMax(ref peak[k], now);
                counter.Exit(keys[k], limit);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.All(peak, p => Assert.InRange(p, 1, limit));
        Assert.All(keys, k => Assert.Equal(0, counter.CountOf(k)));
    }

    [Fact]
    public void A_full_key_refuses_until_one_leaves_and_a_bound_of_zero_counts_nothing()
    {
        var counter = new KeyedCounter();
        Assert.True(counter.TryEnter(7, 2));
        Assert.True(counter.TryEnter(7, 2));
        Assert.False(counter.TryEnter(7, 2));
        Assert.True(counter.TryEnter(8, 2)); // another key has its own share
        counter.Exit(7, 2);
        Assert.True(counter.TryEnter(7, 2));

        Assert.True(counter.TryEnter(9, 0));
        Assert.Equal(0, counter.CountOf(9));
        counter.Exit(9, 0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
