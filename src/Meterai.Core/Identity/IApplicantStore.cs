using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>Applicants and the registrations that become them. Every write is idempotent; a contact address belongs to one applicant.</summary>
public interface IApplicantStore
{
    /// <summary>
    /// Stores one registration attempt with the challenge of its code, in one write, and answers whether the address
    /// already belongs to an account (active or disabled): then the caller tells the owner instead of sending the
    /// code, and the attempt can never be confirmed. Nothing about an existing applicant changes.
    /// </summary>
    Task<bool> BeginRegistrationAsync(PendingRegistration registration, CodeChallenge challenge, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms a registration whose code was typed right, in one transaction: consumes the challenge and makes the
    /// registration an active applicant with the registration's id and password (or, for an address registered
    /// before registrations were records of their own and still pending, gives that applicant this password and
    /// activates it). The first registration of an address confirmed wins. Errors: <c>code_already_used</c>,
    /// <c>challenge_not_found</c> (the registration is gone), <c>contact_already_registered</c> (another registration
    /// of the address was confirmed first, or the address had an account).
    /// </summary>
    Task<Result<Applicant>> ConfirmRegistrationAsync(UInt128 challengeId, UInt128 registrationId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Forgets registrations that expired before <paramref name="before"/> (housekeeping; any node may run it).</summary>
    Task<int> PurgeRegistrationsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the applicant a channel stamps for, identified by the channel's own reference; creating it again
    /// returns the same applicant (same id).
    /// </summary>
    Task<Applicant> CreateForChannelAsync(UInt128 id, UInt128 channelId, string externalRef, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Replaces a password hash (a stronger work factor after a successful login).</summary>
    Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default);

    Task<Applicant?> GetAsync(UInt128 id, CancellationToken cancellationToken = default);

    Task<Applicant?> FindByContactAsync(ContactAddress contact, CancellationToken cancellationToken = default);

    /// <summary>A channel's applicants in id order, after <paramref name="after"/> (zero: from the start).</summary>
    Task<IReadOnlyList<Applicant>> ListByChannelAsync(UInt128 channelId, UInt128 after, int limit, CancellationToken cancellationToken = default);
}
