using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>Applicants. Every write is idempotent; a contact address belongs to one applicant.</summary>
public interface IApplicantStore
{
    /// <summary>
    /// Registers a self-registering applicant. A new contact creates a pending applicant with
    /// <paramref name="registration"/>.Id; a contact whose applicant is still pending gets the new password (the
    /// person registers again because the code was lost) and keeps its id. Error <c>contact_already_registered</c>
    /// when the contact belongs to an active or disabled applicant.
    /// </summary>
    Task<Result<Applicant>> RegisterAsync(ApplicantRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Marks a pending applicant active (verified). Repeating it is a no-op. Error <c>applicant_not_found</c>.</summary>
    Task<Result<Applicant>> ActivateAsync(UInt128 id, DateTimeOffset at, CancellationToken cancellationToken = default);

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
