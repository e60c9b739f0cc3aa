using System.Collections.Concurrent;

namespace Meterai.Server.Stamping;

/// <summary>
/// How many requests each key (an applicant's or a channel's id) has in progress, bounded per key, lock-free. A key
/// whose count drops to zero is removed, so the table holds only the callers busy right now (a surge of a million
/// applicants leaves nothing behind).
/// </summary>
internal sealed class KeyedCounter
{
    private readonly ConcurrentDictionary<UInt128, int> _counts = new();

    /// <summary>Counts one more for <paramref name="key"/> unless it has <paramref name="limit"/> already (0: no bound, nothing counted).</summary>
    public bool TryEnter(UInt128 key, int limit)
    {
        if (limit == 0) return true;
        while (true)
        {
            if (!_counts.TryGetValue(key, out var count))
            {
                if (_counts.TryAdd(key, 1)) return true;
                continue;
            }

            if (count >= limit) return false;
            if (_counts.TryUpdate(key, count + 1, count)) return true;
        }
    }

    /// <summary>Undoes one <see cref="TryEnter"/> that returned true (with the same limit).</summary>
    public void Exit(UInt128 key, int limit)
    {
        if (limit == 0) return;
        while (true)
        {
            var count = _counts[key];
            // Removing only the entry that still says 1 keeps a concurrent TryEnter's increment from being lost.
            if (count == 1 ? _counts.TryRemove(new KeyValuePair<UInt128, int>(key, 1)) : _counts.TryUpdate(key, count - 1, count)) return;
        }
    }

    public int CountOf(UInt128 key) => _counts.TryGetValue(key, out var count) ? count : 0;
}
