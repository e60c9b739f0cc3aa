namespace Meterai.Core.Identity;

/// <summary>
/// One attempt to register an address, waiting for the code sent for it. Each attempt is its own record with its own
/// password and its own challenge, so a later registration of the same address never changes what an earlier code
/// activates; the first one confirmed becomes the applicant (with this <see cref="Id"/>) and the others can no longer
/// be confirmed. It lives as long as its code.
/// </summary>
public sealed record PendingRegistration(UInt128 Id, ContactAddress Contact, string PasswordHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
