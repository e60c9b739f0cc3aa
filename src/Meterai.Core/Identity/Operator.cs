namespace Meterai.Core.Identity;

/// <summary>A member of the issuer's staff. Created with <c>meterai operator add</c>; logs in with e-mail and password.</summary>
public sealed record Operator(UInt128 Id, string Email, string PasswordHash, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    public bool IsDisabled => DisabledAt is not null;
}
