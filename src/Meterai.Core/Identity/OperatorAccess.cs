using Meterai.Core.Common;
using Meterai.Core.Ledger;

namespace Meterai.Core.Identity;

/// <summary>Operators: created by the CLI (never over HTTP), log in with e-mail and password, throttled like applicants.</summary>
public sealed class OperatorAccess(IOperatorStore operators, ILoginThrottleStore throttle, PasswordHasher hasher, IdentitySettings settings, IClock clock)
{
    public const string ThrottleScope = "operator";

    /// <summary>Creates an operator with the given roles. Errors: <c>contact_invalid</c>, <c>role_unknown</c>, <c>password_too_weak</c>, <c>operator_exists</c>.</summary>
    public async Task<Result<Operator>> CreateAsync(string? email, IReadOnlyList<string> roles, string password, CancellationToken ct = default)
    {
        var address = ContactAddress.ParseEmail(email ?? "");
        if (!address.IsOk) return address.Error;
        if (roles.Count == 0 || roles.Any(r => !OperatorRole.IsKnown(r)))
        {
            return new Error(IdentityErrors.RoleUnknown, $"roles are {string.Join(", ", OperatorRole.All)}");
        }

        if (PasswordHasher.Weakness(password) is { } weakness) return new Error(IdentityErrors.PasswordTooWeak, weakness);
        var op = new Operator(LedgerId.New(clock), address.Value.Value, hasher.Hash(password), roles.Distinct().Order(StringComparer.Ordinal).ToList(), clock.UtcNow, null);
        return await operators.CreateAsync(op, ct).ConfigureAwait(false);
    }

    /// <summary>Errors: <c>invalid_credentials</c> (also for a disabled operator), <c>too_many_attempts</c>.</summary>
    public async Task<Result<Operator>> LoginAsync(string? email, string? password, CancellationToken ct = default)
    {
        var address = ContactAddress.ParseEmail(email ?? "");
        if (!address.IsOk || string.IsNullOrEmpty(password) || password.Length > PasswordHasher.MaximumPasswordLength)
        {
            return new Error(IdentityErrors.InvalidCredentials, "the e-mail address or the password is wrong");
        }

        var key = LoginThrottlePolicy.KeyFor(ThrottleScope, address.Value.Value);
        if (settings.LoginThrottle.LockedFor(await throttle.GetAsync(key, ct).ConfigureAwait(false), clock.UtcNow) is not null)
        {
            return new Error(IdentityErrors.TooManyAttempts, "too many failed logins for this operator: try again later");
        }

        var op = await operators.FindByEmailAsync(address.Value.Value, ct).ConfigureAwait(false);
        if (!hasher.Verify(password, op?.PasswordHash) || op!.IsDisabled)
        {
            var failures = await throttle.RecordFailureAsync(key, clock.UtcNow, settings.LoginThrottle.Window, ct).ConfigureAwait(false);
            return settings.LoginThrottle.LockedFor(failures, clock.UtcNow) is not null
                ? new Error(IdentityErrors.TooManyAttempts, "too many failed logins for this operator: try again later")
                : new Error(IdentityErrors.InvalidCredentials, "the e-mail address or the password is wrong");
        }

        await throttle.ClearAsync(key, ct).ConfigureAwait(false);
        if (hasher.NeedsRehash(op.PasswordHash)) await operators.SetPasswordHashAsync(op.Id, hasher.Hash(password), ct).ConfigureAwait(false);
        return op;
    }

    public async Task<TimeSpan?> LockedForAsync(string? email, CancellationToken ct = default)
    {
        var address = ContactAddress.ParseEmail(email ?? "");
        if (!address.IsOk) return null;
        return settings.LoginThrottle.LockedFor(await throttle.GetAsync(LoginThrottlePolicy.KeyFor(ThrottleScope, address.Value.Value), ct).ConfigureAwait(false), clock.UtcNow);
    }
}
