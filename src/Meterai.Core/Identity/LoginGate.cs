using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>What one throttled password check came to: passed, failed, or refused unchecked for <see cref="Wait"/>.</summary>
public sealed record LoginCheck(bool Passed, TimeSpan? Wait)
{
    public static readonly LoginCheck Pass = new(true, null);

    public static readonly LoginCheck Fail = new(false, null);
}

/// <summary>
/// Runs a password check under the login throttle (<see cref="LoginThrottlePolicy"/>), for applicants and operators
/// alike: refused unchecked while the client must wait, counted when it fails, forgotten when it succeeds.
/// </summary>
public sealed class LoginGate(ILoginThrottleStore store, LoginThrottlePolicy policy, IClock clock)
{
    public async Task<LoginCheck> CheckAsync(string scope, string identifier, string client, Func<Task<bool>> verify, CancellationToken ct)
    {
        var key = LoginThrottlePolicy.KeyFor(scope, identifier, client);
        var now = clock.UtcNow;
        var attempt = await store.BeginAsync(key, LoginThrottlePolicy.AccountKeyFor(scope, identifier), now, LoginThrottlePolicy.AttemptHold, policy.Memory, ct)
            .ConfigureAwait(false);
        if (!attempt.Allowed) return new LoginCheck(false, attempt.NotBefore > now ? attempt.NotBefore - now : TimeSpan.FromSeconds(1));

        if (await verify().ConfigureAwait(false))
        {
            await store.ClearAsync(key, ct).ConfigureAwait(false);
            return LoginCheck.Pass;
        }

        var failures = attempt.Failures + 1;
        var after = clock.UtcNow;
        await store.RecordFailureAsync(key, failures, after + policy.DelayAfter(failures), after, ct).ConfigureAwait(false);
        return LoginCheck.Fail;
    }

    /// <summary>Forgets every client's failures against an account (the operators' unlock command); answers how many clients had some.</summary>
    public Task<int> UnlockAsync(string scope, string identifier, CancellationToken ct) =>
        store.ClearAccountAsync(LoginThrottlePolicy.AccountKeyFor(scope, identifier), ct);
}
