using Meterai.Core.Common;

namespace Meterai.Core.Orders;

/// <summary>How many status API challenges notifications may cause (<c>Payments:Challenges:*</c>).</summary>
public sealed record ChallengeLimits
{
    /// <summary>The counting window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Challenges started per order per window (at most one in flight at a time). An order's own life needs few: its
    /// payment, a partial refund, the last refund.
    /// </summary>
    public int PerOrderPerMinute { get; init; } = 4;

    /// <summary>
    /// Challenges per client address per window that the provider did not stand behind. A challenge counts while it runs
    /// and stops counting once the provider confirmed the claim, so the provider's own notifications (true claims) never
    /// use it up, and a sender of claims the provider denies is soon answered without asking.
    /// </summary>
    public int PerClientPerMinute { get; init; } = 30;

    /// <summary>A copy refused while its order's challenge runs is left to reconciliation this long after (that challenge has ended by then).</summary>
    public TimeSpan InFlightGrace { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Why a challenge was not made now, and when reconciliation should ask instead.</summary>
/// <param name="InFlight">
/// When the order's challenge is running and nobody waits for it yet: its end. The copy may wait for it (bounded) and
/// judge its claim again on what that challenge recorded, so a true notification arriving during another's challenge
/// (the charge's pending one still being asked when the payment's comes in) is not held back for a minute.
/// </param>
public sealed record ChallengeRefusal(string Reason, DateTimeOffset AskAt, Task? InFlight = null)
{
    public const string OrderBusy = "order_challenge_in_flight";
    public const string OrderLimit = "order_challenge_limit";
    public const string ClientLimit = "client_challenge_limit";
}

/// <summary>
/// Bounds what a genuinely signed notification replayed many times costs at the provider. Every claim that would change
/// an order is challenged with the provider's status API, and one signed notification can be sent again and again with
/// whatever unsigned members the sender likes; unbounded, each copy was one status call spent from the merchant's API
/// quota. Per order at most one challenge runs at a time and <see cref="ChallengeLimits.PerOrderPerMinute"/> start per
/// window (one copy may wait for the running challenge); per client address at most
/// <see cref="ChallengeLimits.PerClientPerMinute"/> the provider did not confirm. A refused copy is answered "deferred"
/// and its order left to reconciliation, which asks once for all of them.
/// Kept in memory per node (a database counter would be a write per copy, the thing being bounded): with several nodes
/// the bound is per node.
/// </summary>
public sealed class ChallengeGate(ChallengeLimits limits, IClock clock)
{
    /// <summary>Entries kept before windows that ended are swept out (memory stays bounded under a flood of addresses).</summary>
    private const int SweepAbove = 10_000;

    private readonly object _lock = new();
    private readonly Dictionary<string, Counter> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counter> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _refused = new(StringComparer.Ordinal);

    public ChallengeLimits Limits => limits;

    /// <summary>
    /// A ticket to challenge <paramref name="orderId"/>'s notification from <paramref name="client"/> now (dispose it when
    /// the challenge ended; <see cref="Ticket.Confirmed"/> when the provider stood behind the claim), or null with why not.
    /// With <paramref name="mayWait"/>, the first copy refused while the order's challenge runs gets that challenge's end
    /// to wait for (<see cref="ChallengeRefusal.InFlight"/>); it then asks again without.
    /// </summary>
    public Ticket? TryEnter(string orderId, string client, bool mayWait, out ChallengeRefusal? refusal)
    {
        lock (_lock)
        {
            var now = clock.UtcNow;
            Sweep(now);
            var order = Current(_orders, orderId, now);
            var sender = Current(_clients, client, now);
            refusal = order.Count >= limits.PerOrderPerMinute ? new ChallengeRefusal(ChallengeRefusal.OrderLimit, order.Start + ChallengeLimits.Window)
                : order.InFlight ? Busy(order, now, mayWait)
                : sender.Count >= limits.PerClientPerMinute ? new ChallengeRefusal(ChallengeRefusal.ClientLimit, sender.Start + ChallengeLimits.Window)
                : null;
            if (refusal is not null)
            {
                if (refusal.InFlight is null) _refused[refusal.Reason] = _refused.GetValueOrDefault(refusal.Reason) + 1;
                return null;
            }

            order.InFlight = true;
            order.Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            order.Count++;
            sender.Count++;
            return new Ticket(this, order, sender);
        }
    }

    private ChallengeRefusal Busy(Counter order, DateTimeOffset now, bool mayWait)
    {
        var wait = mayWait && !order.Waited;
        if (wait) order.Waited = true;
        return new ChallengeRefusal(ChallengeRefusal.OrderBusy, now + limits.InFlightGrace, wait ? order.Done!.Task : null);
    }

    /// <summary>Challenges refused on this node since it started, by reason (for the health page).</summary>
    public IReadOnlyDictionary<string, long> RefusedByReason
    {
        get
        {
            lock (_lock) return new SortedDictionary<string, long>(_refused, StringComparer.Ordinal);
        }
    }

    private static Counter Current(Dictionary<string, Counter> counters, string key, DateTimeOffset now)
    {
        if (!counters.TryGetValue(key, out var counter)) counters[key] = counter = new Counter { Start = now };
        if (now - counter.Start >= ChallengeLimits.Window)
        {
            counter.Start = now;
            counter.Count = 0;
        }

        return counter;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var counters in new[] { _orders, _clients })
        {
            if (counters.Count <= SweepAbove) continue;
            foreach (var (key, c) in counters.Where(c => !c.Value.InFlight && now - c.Value.Start >= ChallengeLimits.Window).ToList()) counters.Remove(key);
        }
    }

    internal sealed class Counter
    {
        public DateTimeOffset Start;
        public int Count;
        public bool InFlight;

        /// <summary>A copy is already waiting for the running challenge (one may).</summary>
        public bool Waited;

        /// <summary>Completed when the running challenge ends.</summary>
        public TaskCompletionSource? Done;
    }

    /// <summary>One admitted challenge.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly ChallengeGate _gate;
        private readonly Counter _order;
        private readonly Counter _client;
        private bool _confirmed;
        private bool _disposed;

        internal Ticket(ChallengeGate gate, Counter order, Counter client) => (_gate, _order, _client) = (gate, order, client);

        /// <summary>The provider stood behind the claim: it does not count against the sender.</summary>
        public void Confirmed()
        {
            lock (_gate._lock)
            {
                if (_confirmed) return;
                _confirmed = true;
                _client.Count = Math.Max(0, _client.Count - 1);
            }
        }

        public void Dispose()
        {
            TaskCompletionSource? done;
            lock (_gate._lock)
            {
                if (_disposed) return;
                _disposed = true;
                _order.InFlight = false;
                _order.Waited = false;
                done = _order.Done;
            }

            done?.TrySetResult();
        }
    }
}
