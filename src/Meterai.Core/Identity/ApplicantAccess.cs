using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;

namespace Meterai.Core.Identity;

/// <summary>
/// How applicants register and log in: always a password first, then a one-time code sent to the e-mail address or
/// phone number (registration proves the address, login proves the person holds it). Each registration is its own
/// record bound to its own code, so re-registering an address never changes what an earlier code activates; a
/// registration of an address that has an account answers the same and tells the owner instead. Codes are limited
/// per address and per client address (<see cref="CodeLimitPolicy"/>), failed passwords slow down the client that
/// makes them (<see cref="LoginThrottlePolicy"/>), unknown identifiers take as long as known ones.
/// </summary>
public sealed class ApplicantAccess(
    IApplicantStore applicants,
    ICodeChallengeStore challenges,
    ILoginThrottleStore throttle,
    IWindowCounterStore counters,
    ILedgerStore ledger,
    IOneTimeCodeSender sender,
    PasswordHasher hasher,
    IdentitySettings settings,
    IClock clock)
{
    public const string ThrottleScope = "applicant";

    private readonly LoginGate _gate = new(throttle, settings.LoginThrottle, clock);

    /// <summary>
    /// Starts a registration and sends its code; when the address already has an account, the answer is the same
    /// (a challenge that no code will ever match) and its owner gets a notice instead. Errors: <c>contact_invalid</c>,
    /// <c>password_too_weak</c>, <c>too_many_codes</c> (with how long to wait). <paramref name="client"/> is the
    /// caller's client address key.
    /// </summary>
    public async Task<Limited<CodeSent>> RegisterAsync(string? contactText, string? password, string client, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(contactText);
        if (!contact.IsOk) return contact.Error;
        if (PasswordHasher.Weakness(password) is { } weakness) return new Error(IdentityErrors.PasswordTooWeak, weakness);
        // Counted before the password is hashed: a refused flood costs a statement, not a quarter-second of CPU each.
        if (await CodeLimitAsync(CodePurpose.Registration, contact.Value, client, ct).ConfigureAwait(false) is { } wait) return TooManyCodes(wait);

        var now = clock.UtcNow;
        var registration = new PendingRegistration(LedgerId.New(clock), contact.Value, hasher.Hash(password!), now, now + settings.CodeLifetime);
        var code = OneTimeCode.NewCode();
        var challenge = OneTimeCode.NewChallenge(LedgerId.New(clock), registration.Id, CodePurpose.Registration, code, now, settings.CodeLifetime, settings.CodeMaxAttempts);
        var addressTaken = await applicants.BeginRegistrationAsync(registration, challenge, ct).ConfigureAwait(false);
        if (addressTaken)
        {
            await sender.SendNoticeAsync(new AccountNotice(contact.Value, AccountNoticeKind.RegistrationAttempt, now), ct).ConfigureAwait(false);
        }
        else
        {
            await sender.SendAsync(new OneTimeCodeMessage(contact.Value, code, CodePurpose.Registration, challenge.ExpiresAt), ct).ConfigureAwait(false);
        }

        return new CodeSent(registration.Id, challenge.Id, CodePurpose.Registration, challenge.ExpiresAt, contact.Value.Masked());
    }

    /// <summary>
    /// First login step: checks the password and sends a login code. Errors: <c>invalid_credentials</c> (unknown
    /// identifier, wrong password, or a registration never confirmed: indistinguishable), <c>too_many_attempts</c>
    /// and <c>too_many_codes</c> (with how long to wait), <c>applicant_disabled</c>.
    /// </summary>
    public async Task<Limited<CodeSent>> StartLoginAsync(string? identifier, string? password, string client, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(identifier);
        if (!contact.IsOk || string.IsNullOrEmpty(password) || password.Length > PasswordHasher.MaximumPasswordLength) return InvalidCredentials();

        Applicant? applicant = null;
        var check = await _gate.CheckAsync(ThrottleScope, contact.Value.Value, client, async () =>
        {
            applicant = await applicants.FindByContactAsync(contact.Value, ct).ConfigureAwait(false);
            // An applicant still pending from before registrations were records of their own may hold a stranger's
            // password: it logs in only once a registration of the address is confirmed.
            var usable = applicant is { Status: not ApplicantStatus.PendingVerification } ? applicant.PasswordHash : null;
            return hasher.Verify(password, usable);
        }, ct).ConfigureAwait(false);
        if (check.Wait is { } wait) return new Limited<CodeSent>(new Error(IdentityErrors.TooManyAttempts, $"too many failed logins from here: try again in {Seconds(wait)} s"), wait);
        if (!check.Passed) return InvalidCredentials();

        if (applicant!.Status == ApplicantStatus.Disabled) return new Error(IdentityErrors.ApplicantDisabled, "this account is disabled");
        if (hasher.NeedsRehash(applicant.PasswordHash!)) await applicants.SetPasswordHashAsync(applicant.Id, hasher.Hash(password), ct).ConfigureAwait(false);
        if (await CodeLimitAsync(CodePurpose.Login, contact.Value, client, ct).ConfigureAwait(false) is { } codeWait) return TooManyCodes(codeWait);

        var now = clock.UtcNow;
        var code = OneTimeCode.NewCode();
        var challenge = OneTimeCode.NewChallenge(LedgerId.New(clock), applicant.Id, CodePurpose.Login, code, now, settings.CodeLifetime, settings.CodeMaxAttempts);
        await challenges.CreateAsync(challenge, ct).ConfigureAwait(false);
        await sender.SendAsync(new OneTimeCodeMessage(contact.Value, code, CodePurpose.Login, challenge.ExpiresAt), ct).ConfigureAwait(false);
        return new CodeSent(applicant.Id, challenge.Id, CodePurpose.Login, challenge.ExpiresAt, contact.Value.Masked());
    }

    /// <summary>
    /// Second step of registration or login: the code from the message. A registration code makes its registration
    /// the applicant. Errors: <c>challenge_not_found</c>, <c>code_invalid</c>, <c>code_expired</c>,
    /// <c>code_attempts_exhausted</c>, <c>code_already_used</c>, <c>contact_already_registered</c> (another
    /// registration of the address was confirmed first), <c>applicant_disabled</c>.
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

        Result<Applicant> applicant;
        if (challenge.Purpose == CodePurpose.Registration)
        {
            // The quota account first (idempotent): once the applicant exists it always has one. A registration that
            // then loses to another leaves an empty account behind, which holds nothing.
            await EnsureQuotaAccountAsync(challenge.ApplicantId, ct).ConfigureAwait(false);
            applicant = await applicants.ConfirmRegistrationAsync(challengeId, challenge.ApplicantId, now, ct).ConfigureAwait(false);
        }
        else if (!await challenges.ConsumeAsync(challengeId, now, ct).ConfigureAwait(false))
        {
            return new Error(IdentityErrors.CodeAlreadyUsed, "this code was already used: ask for a new one");
        }
        else
        {
            applicant = await applicants.GetAsync(challenge.ApplicantId, ct).ConfigureAwait(false) is { } a ? a : new Error(IdentityErrors.ApplicantNotFound, "no such applicant");
        }

        if (!applicant.IsOk) return applicant.Error;
        // A legacy pending applicant confirmed here has an older id than the registration's: it has its account already.
        return applicant.Value.Status == ApplicantStatus.Active ? applicant.Value : new Error(IdentityErrors.ApplicantDisabled, "this account is disabled");
    }

    /// <summary>Forgets every client's failed logins against an applicant's address (the operators' unlock). Error <c>applicant_not_found</c>.</summary>
    public async Task<Result<int>> UnlockAsync(string? contactText, CancellationToken ct = default)
    {
        var contact = ContactAddress.Parse(contactText);
        if (!contact.IsOk) return contact.Error;
        if (await applicants.FindByContactAsync(contact.Value, ct).ConfigureAwait(false) is null)
        {
            return new Error(IdentityErrors.ApplicantNotFound, $"no applicant has the address {contact.Value.Masked()}");
        }

        return await _gate.UnlockAsync(ThrottleScope, contact.Value.Value, ct).ConfigureAwait(false);
    }

    public async Task EnsureQuotaAccountAsync(UInt128 applicantId, CancellationToken ct)
    {
        var result = (await ledger.CreateAccountsAsync([QuotaAccounts.ApplicantQuota(applicantId)], ct).ConfigureAwait(false))[0];
        if (!result.IsCommitted()) throw new InvalidOperationException($"the quota account of applicant {PublicId.Format(applicantId)} cannot be created: {result.Code()}");
    }

    /// <summary>Counts one more challenge for the address and the client; how long to wait when that is over a limit.</summary>
    private async Task<TimeSpan?> CodeLimitAsync(CodePurpose purpose, ContactAddress to, string client, CancellationToken ct)
    {
        var limits = settings.CodeLimits;
        var now = clock.UtcNow;
        var counts = await counters.CountAsync([limits.AddressKey(purpose, to), limits.ClientKey(client)], now, limits.Window, ct).ConfigureAwait(false);
        return limits.RefusedFor(counts[0], counts[1], now);
    }

    private static Limited<CodeSent> TooManyCodes(TimeSpan wait) =>
        new(new Error(IdentityErrors.TooManyCodes, $"too many codes were asked for this address or from here: try again in {Seconds(wait)} s"), wait);

    private static Error InvalidCredentials() => new(IdentityErrors.InvalidCredentials, "the identifier or the password is wrong");

    private static long Seconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalSeconds));
}
