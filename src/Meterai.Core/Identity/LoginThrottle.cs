using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Identity;

/// <summary>
/// Failed logins slow down the client that makes them, per (account, client address), with delays that grow with
/// each failure: the first <see cref="FreeFailures"/> cost nothing, the next waits <see cref="FirstDelay"/>, then
/// twice that, up to <see cref="MaxDelay"/>. It is never a lock: someone guessing from elsewhere does not slow the
/// owner down, and the owner with the right password gets in once their own delay has passed. A success forgets
/// the failures; so does <see cref="Memory"/> without an attempt. During a delay every attempt is refused unchecked,
/// the right password too, so a guesser learns nothing from one.
/// </summary>
public sealed record LoginThrottlePolicy(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Memory)
{
    public static readonly LoginThrottlePolicy Default = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15), TimeSpan.FromDays(1));

    /// <summary>
    /// How long an attempt holds its (account, client) while the password is checked: attempts sent in parallel are
    /// refused meanwhile, so a burst cannot take many guesses before the first failure is counted. A node that dies
    /// mid-check frees it after this long.
    /// </summary>
    public static readonly TimeSpan AttemptHold = TimeSpan.FromSeconds(10);

    /// <summary>How long the client waits after its <paramref name="failures"/>-th failure in a row.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures <= FreeFailures) return TimeSpan.Zero;
        var doublings = Math.Min(failures - FreeFailures - 1, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>The key one client's failures against one account are counted under: a hash, so the table holds no addresses.</summary>
    public static byte[] KeyFor(string scope, string identifier, string client) => Hash($"{scope}\0{identifier}\0{client}");

    /// <summary>The key every client's row of one account carries, so an operator can clear them all (unlock).</summary>
    public static byte[] AccountKeyFor(string scope, string identifier) => Hash($"{scope}\0{identifier}");

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}

/// <summary>
/// The answer to "may this client try a password now?": when <see cref="Allowed"/>, the attempt holds its (account,
/// client) until it reports its outcome and <see cref="Failures"/> is the count so far; when not,
/// <see cref="NotBefore"/> is when it may try again.
/// </summary>
public sealed record LoginAttempt(bool Allowed, int Failures, DateTimeOffset NotBefore);

/// <summary>Failed logins per (account, client), shared by every node through the database.</summary>
public interface ILoginThrottleStore
{
    /// <summary>
    /// Starts an attempt unless the client must still wait (its row's not-before is after <paramref name="now"/>):
    /// atomically, so of attempts racing on several nodes one starts. A started attempt holds the row until
    /// <paramref name="now"/> + <paramref name="hold"/>; failures last counted before <paramref name="now"/> −
    /// <paramref name="memory"/> are forgotten.
    /// </summary>
    Task<LoginAttempt> BeginAsync(byte[] key, byte[] account, DateTimeOffset now, TimeSpan hold, TimeSpan memory, CancellationToken cancellationToken = default);

    /// <summary>The started attempt failed: the client has now failed <paramref name="failures"/> times and waits until <paramref name="notBefore"/>.</summary>
    Task RecordFailureAsync(byte[] key, int failures, DateTimeOffset notBefore, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The started attempt succeeded: forget this client's failures.</summary>
    Task ClearAsync(byte[] key, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures of every client of an account (an operator's unlock); answers how many clients had some.</summary>
    Task<int> ClearAccountAsync(byte[] account, CancellationToken cancellationToken = default);

    /// <summary>Forgets rows untouched since before <paramref name="before"/> (housekeeping; any node may run it).</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
