namespace Meterai.Core.Identity;

/// <summary>Where an applicant's account stands. Stored as a small integer; values never change.</summary>
public enum ApplicantStatus : short
{
    /// <summary>
    /// Registered before registrations became records of their own (<see cref="PendingRegistration"/>): no longer
    /// made, cannot log in, and the first registration of its address that is confirmed replaces its password.
    /// </summary>
    PendingVerification = 1,
    Active = 2,
    Disabled = 3,
}

/// <summary>
/// A person who stamps documents. Either self-registered (a login <see cref="Email"/> or <see cref="Phone"/> with a
/// password, <see cref="ChannelId"/> = <see cref="Channels.Channel.DirectId"/>), or created by a channel for one of
/// its customers (<see cref="ExternalRef"/> = the channel's own reference, no login of its own: the channel acts for
/// it). The applicant's quota is the ledger account <c>AccountIdFor(User, Id, UserQuota)</c>.
/// </summary>
public sealed record Applicant(
    UInt128 Id,
    UInt128 ChannelId,
    string? ExternalRef,
    string? Email,
    string? Phone,
    string? PasswordHash,
    ApplicantStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? VerifiedAt)
{
    /// <summary>The login identifier the applicant registered with, when self-registered.</summary>
    public ContactAddress? Contact =>
        Email is not null ? new ContactAddress(ContactKind.Email, Email) : Phone is not null ? new ContactAddress(ContactKind.Phone, Phone) : null;
}
