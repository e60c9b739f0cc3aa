using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Identity;

/// <summary>The failed logins recorded against one identifier in the current window.</summary>
public sealed record LoginFailures(int Count, DateTimeOffset WindowStart);

/// <summary>
/// Failed-login limits per identifier (an e-mail, a phone number, an API key prefix), shared by every node through
/// the database: after <see cref="MaxFailures"/> failures within <see cref="Window"/>, further attempts are refused
/// until the window ends, whether the password is right or not.
/// </summary>
public sealed record LoginThrottlePolicy(int MaxFailures, TimeSpan Window)
{
    public static readonly LoginThrottlePolicy Default = new(5, TimeSpan.FromMinutes(15));

    /// <summary>How long the identifier is still locked out at <paramref name="now"/>, or null when it is not.</summary>
    public TimeSpan? LockedFor(LoginFailures? failures, DateTimeOffset now)
    {
        if (failures is null || failures.Count < MaxFailures) return null;
        var end = failures.WindowStart + Window;
        return end > now ? end - now : null;
    }

    /// <summary>The key under which an identifier's failures are counted: a hash, so the table holds no addresses.</summary>
    public static byte[] KeyFor(string scope, string identifier) => SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\0" + identifier));
}

/// <summary>Counts failed logins per identifier, across nodes.</summary>
public interface ILoginThrottleStore
{
    Task<LoginFailures?> GetAsync(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Records one failure: starts a new window when the last one ended before <paramref name="now"/> − <paramref name="window"/>.</summary>
    Task<LoginFailures> RecordFailureAsync(byte[] key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures after a successful login.</summary>
    Task ClearAsync(byte[] key, CancellationToken cancellationToken = default);
}
