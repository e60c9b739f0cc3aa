using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;

namespace Meterai.Core.Identity;

/// <summary>
/// How applicants register and log in: always a password first, then a one-time code sent to the e-mail address or
/// phone number (registration proves the address, login proves the person holds it). Failed passwords are counted
/// per identifier across nodes and lock the identifier for a while; unknown identifiers take as long as known ones.
/// </summary>
public sealed class ApplicantAccess(
    IApplicantStore applicants,
    ICodeChallengeStore challenges,
    ILoginThrottleStore throttle,
    ILedgerStore ledger,
    IOneTimeCodeSender sender,
    PasswordHasher hasher,
    IdentitySettings settings,
    IClock clock)
{
    public const string ThrottleScope = "applicant";

    /// <summary>Registers (or re-registers a still-unverified) applicant and sends a registration code.</summary>
    public async Task<Result<CodeSent>> RegisterAsync(string? contactText, string? password, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(contactText);
        if (!contact.IsOk) return contact.Error;
        if (PasswordHasher.Weakness(password) is { } weakness) return new Error(IdentityErrors.PasswordTooWeak, weakness);

        var registered = await applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(clock), contact.Value, hasher.Hash(password!), clock.UtcNow), ct)
            .ConfigureAwait(false);
        if (!registered.IsOk) return registered.Error;
        // The quota account exists from the start (idempotent), so a purchase never waits for the verification.
        await EnsureQuotaAccountAsync(registered.Value.Id, ct).ConfigureAwait(false);
        return await SendCodeAsync(registered.Value, contact.Value, CodePurpose.Registration, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// First login step: checks the password and sends a login code (a registration code when the address is not
    /// verified yet). Errors: <c>invalid_credentials</c> (unknown identifier or wrong password, indistinguishable),
    /// <c>too_many_attempts</c>, <c>applicant_disabled</c>.
    /// </summary>
    public async Task<Result<CodeSent>> StartLoginAsync(string? identifier, string? password, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(identifier);
        if (!contact.IsOk || string.IsNullOrEmpty(password) || password.Length > PasswordHasher.MaximumPasswordLength)
        {
            return new Error(IdentityErrors.InvalidCredentials, "the identifier or the password is wrong");
        }

        var key = LoginThrottlePolicy.KeyFor(ThrottleScope, contact.Value.Value);
        if (settings.LoginThrottle.LockedFor(await throttle.GetAsync(key, ct).ConfigureAwait(false), clock.UtcNow) is not null)
        {
            return TooManyAttempts();
        }

        var applicant = await applicants.FindByContactAsync(contact.Value, ct).ConfigureAwait(false);
        if (!hasher.Verify(password, applicant?.PasswordHash))
        {
            var failures = await throttle.RecordFailureAsync(key, clock.UtcNow, settings.LoginThrottle.Window, ct).ConfigureAwait(false);
            return settings.LoginThrottle.LockedFor(failures, clock.UtcNow) is not null
                ? TooManyAttempts()
                : new Error(IdentityErrors.InvalidCredentials, "the identifier or the password is wrong");
        }

        await throttle.ClearAsync(key, ct).ConfigureAwait(false);
        if (applicant!.Status == ApplicantStatus.Disabled) return new Error(IdentityErrors.ApplicantDisabled, "this account is disabled");
        if (hasher.NeedsRehash(applicant.PasswordHash!)) await applicants.SetPasswordHashAsync(applicant.Id, hasher.Hash(password), ct).ConfigureAwait(false);
        var purpose = applicant.Status == ApplicantStatus.PendingVerification ? CodePurpose.Registration : CodePurpose.Login;
        return await SendCodeAsync(applicant, contact.Value, purpose, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Second step of registration or login: the code from the message. A registration code also activates the
    /// applicant. Errors: <c>challenge_not_found</c>, <c>code_invalid</c>, <c>code_expired</c>,
    /// <c>code_attempts_exhausted</c>, <c>code_already_used</c>, <c>applicant_disabled</c>.
    /// </summary>
    public async Task<Result<Applicant>> CompleteAsync(UInt128 challengeId, string? code, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var counted = await challenges.CountAttemptAsync(challengeId, now, ct).ConfigureAwait(false);
        if (!counted.IsOk) return counted.Error;
        var challenge = counted.Value;
        if (!OneTimeCode.Matches(challenge, code ?? ""))
        {
            var left = challenge.MaxAttempts - challenge.Attempts;
            return left > 0
                ? new Error(IdentityErrors.CodeInvalid, $"the code is wrong ({left} attempt{(left == 1 ? "" : "s")} left)")
                : new Error(IdentityErrors.CodeAttemptsExhausted, "too many wrong codes: ask for a new one");
        }

        if (!await challenges.ConsumeAsync(challengeId, now, ct).ConfigureAwait(false))
        {
            return new Error(IdentityErrors.CodeAlreadyUsed, "this code was already used: ask for a new one");
        }

        var applicant = challenge.Purpose == CodePurpose.Registration
            ? await applicants.ActivateAsync(challenge.ApplicantId, now, ct).ConfigureAwait(false)
            : await applicants.GetAsync(challenge.ApplicantId, ct).ConfigureAwait(false) is { } a ? a : new Error(IdentityErrors.ApplicantNotFound, "no such applicant");
        if (!applicant.IsOk) return applicant.Error;
        return applicant.Value.Status == ApplicantStatus.Active ? applicant.Value : new Error(IdentityErrors.ApplicantDisabled, "this account is disabled");
    }

    /// <summary>How long an identifier stays locked out (for a Retry-After), or null.</summary>
    public async Task<TimeSpan?> LockedForAsync(string? identifier, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(identifier);
        if (!contact.IsOk) return null;
        var failures = await throttle.GetAsync(LoginThrottlePolicy.KeyFor(ThrottleScope, contact.Value.Value), ct).ConfigureAwait(false);
        return settings.LoginThrottle.LockedFor(failures, clock.UtcNow);
    }

    public async Task EnsureQuotaAccountAsync(UInt128 applicantId, CancellationToken ct)
    {
        var result = (await ledger.CreateAccountsAsync([QuotaAccounts.ApplicantQuota(applicantId)], ct).ConfigureAwait(false))[0];
        if (!result.IsCommitted()) throw new InvalidOperationException($"the quota account of applicant {PublicId.Format(applicantId)} cannot be created: {result.Code()}");
    }

    private async Task<Result<CodeSent>> SendCodeAsync(Applicant applicant, ContactAddress to, CodePurpose purpose, CancellationToken ct)
    {
        var code = OneTimeCode.NewCode();
        var challenge = OneTimeCode.NewChallenge(LedgerId.New(clock), applicant.Id, purpose, code, clock.UtcNow, settings.CodeLifetime, settings.CodeMaxAttempts);
        await challenges.CreateAsync(challenge, ct).ConfigureAwait(false);
        await sender.SendAsync(new OneTimeCodeMessage(to, code, purpose, challenge.ExpiresAt), ct).ConfigureAwait(false);
        return new CodeSent(applicant.Id, challenge.Id, purpose, challenge.ExpiresAt, to.Masked());
    }

    private static Error TooManyAttempts() => new(IdentityErrors.TooManyAttempts, "too many failed logins for this identifier: try again later");
}
