using Meterai.Core.Common;
using Meterai.Core.Ledger;

namespace Meterai.Core.Identity;

/// <summary>
/// Operators: created, disabled, enabled and unlocked with the CLI (never over HTTP), log in with e-mail and
/// password, throttled per (operator, client address) like applicants (<see cref="LoginThrottlePolicy"/>).
/// </summary>
public sealed class OperatorAccess(IOperatorStore operators, ILoginThrottleStore throttle, PasswordHasher hasher, IdentitySettings settings, IClock clock)
{
    public const string ThrottleScope = "operator";

    private readonly LoginGate _gate = new(throttle, settings.LoginThrottle, clock);

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

    /// <summary>
    /// Errors: <c>invalid_credentials</c> (also for a disabled operator), <c>too_many_attempts</c> (with how long to
    /// wait). <paramref name="client"/> is the caller's client address key.
    /// </summary>
    public async Task<Limited<Operator>> LoginAsync(string? email, string? password, string client, CancellationToken ct = default)
    {
        var address = ContactAddress.ParseEmail(email ?? "");
        if (!address.IsOk || string.IsNullOrEmpty(password) || password.Length > PasswordHasher.MaximumPasswordLength) return InvalidCredentials();

        Operator? op = null;
        var check = await _gate.CheckAsync(ThrottleScope, address.Value.Value, client, async () =>
        {
            op = await operators.FindByEmailAsync(address.Value.Value, ct).ConfigureAwait(false);
            return hasher.Verify(password, op?.PasswordHash) && !op!.IsDisabled;
        }, ct).ConfigureAwait(false);
        if (check.Wait is { } wait)
        {
            return new Limited<Operator>(new Error(IdentityErrors.TooManyAttempts, $"too many failed logins from here: try again in {Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds))} s"), wait);
        }

        if (!check.Passed) return InvalidCredentials();
        if (hasher.NeedsRehash(op!.PasswordHash)) await operators.SetPasswordHashAsync(op.Id, hasher.Hash(password), ct).ConfigureAwait(false);
        return op;
    }

    /// <summary>Disables (true) or enables (false) an operator; its live tokens stop at once. Errors: <c>contact_invalid</c>, <c>operator_not_found</c>.</summary>
    public async Task<Result<Operator>> SetDisabledAsync(string? email, bool disabled, CancellationToken ct = default)
    {
        var found = await FindAsync(email, ct).ConfigureAwait(false);
        if (!found.IsOk) return found.Error;
        var changed = await operators.SetDisabledAsync(found.Value.Id, disabled ? clock.UtcNow : null, ct).ConfigureAwait(false);
        return changed is null ? NotFound(found.Value.Email) : changed;
    }

    /// <summary>Forgets every client's failed logins against an operator (unlock); answers how many clients had some. Errors: <c>contact_invalid</c>, <c>operator_not_found</c>.</summary>
    public async Task<Result<int>> UnlockAsync(string? email, CancellationToken ct = default)
    {
        var found = await FindAsync(email, ct).ConfigureAwait(false);
        if (!found.IsOk) return found.Error;
        return await _gate.UnlockAsync(ThrottleScope, found.Value.Email, ct).ConfigureAwait(false);
    }

    private async Task<Result<Operator>> FindAsync(string? email, CancellationToken ct)
    {
        var address = ContactAddress.ParseEmail(email ?? "");
        if (!address.IsOk) return address.Error;
        return await operators.FindByEmailAsync(address.Value.Value, ct).ConfigureAwait(false) is { } op ? op : NotFound(address.Value.Value);
    }

    private static Error NotFound(string email) => new(IdentityErrors.OperatorNotFound, $"no operator has the e-mail address {email}");

    private static Error InvalidCredentials() => new(IdentityErrors.InvalidCredentials, "the e-mail address or the password is wrong");
}
