using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Identity;

/// <summary>
/// How many one-time-code challenges may be made per window, per address (registration and login codes counted
/// apart) and per client address, counted in the database so the limits hold across nodes. Each challenge is five
/// more guesses at a six-digit code: without a bound per address, a million guesses is just many challenges. The
/// per-client bound is generous by default because mobile carriers put many people behind one address (CGNAT);
/// attempts over a limit count too, so a client that keeps trying stays refused until the window ends.
/// </summary>
public sealed record CodeLimitPolicy(int PerAddress, int PerClient, TimeSpan Window)
{
    public static readonly CodeLimitPolicy Default = new(10, 300, TimeSpan.FromHours(1));

    public byte[] AddressKey(CodePurpose purpose, ContactAddress to) => Key($"code-address\0{(short)purpose}\0{to.Value}");

    public byte[] ClientKey(string client) => Key($"code-client\0{client}");

    /// <summary>How long until a new challenge is allowed, given the counts after this one (address first, then client); null when it is.</summary>
    public TimeSpan? RefusedFor(WindowCount address, WindowCount client, DateTimeOffset now)
    {
        TimeSpan? wait = null;
        if (address.Events > PerAddress) wait = Max(wait, address.WindowStart + Window - now);
        if (client.Events > PerClient) wait = Max(wait, client.WindowStart + Window - now);
        return wait;
    }

    private static TimeSpan Max(TimeSpan? a, TimeSpan b)
    {
        var positive = b > TimeSpan.Zero ? b : TimeSpan.FromSeconds(1);
        return a is { } x && x > positive ? x : positive;
    }

    /// <summary>A hash, so the counter table holds no addresses.</summary>
    private static byte[] Key(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}

/// <summary>The events counted under one key in its current fixed window.</summary>
public sealed record WindowCount(int Events, DateTimeOffset WindowStart);

/// <summary>Counts events per key in fixed windows, shared by every node through the database.</summary>
public interface IWindowCounterStore
{
    /// <summary>
    /// Counts one event under each key (distinct keys) and returns the counts after it, in the order of
    /// <paramref name="keys"/>. A key whose window began at or before <paramref name="now"/> − <paramref name="window"/>
    /// starts a new window at <paramref name="now"/>.
    /// </summary>
    Task<IReadOnlyList<WindowCount>> CountAsync(IReadOnlyList<byte[]> keys, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>Forgets windows that began before <paramref name="before"/> (housekeeping; any node may run it).</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
