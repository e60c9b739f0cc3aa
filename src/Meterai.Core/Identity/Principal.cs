namespace Meterai.Core.Identity;

/// <summary>
/// The authenticated caller, as an access token describes it. Decisions about what a caller may see are taken on
/// this record (the HTTP layer builds it from the token; nothing here knows about HTTP).
/// </summary>
/// <param name="Id">The applicant, channel or operator id.</param>
/// <param name="ChannelId">The channel the caller belongs to: the channel itself, or an applicant's channel
/// (<see cref="Channels.Channel.DirectId"/> for self-registered applicants); zero for operators.</param>
/// <param name="Roles">Operator roles (<see cref="OperatorRole"/>); empty for the others.</param>
/// <param name="ApiKeyId">For a channel: the API key the token was exchanged for (revoking it ends the token).</param>
public sealed record Principal(UInt128 Id, PrincipalKind Kind, UInt128 ChannelId, IReadOnlyList<string> Roles, UInt128 ApiKeyId = default)
{
    public bool IsApplicant => Kind == PrincipalKind.Applicant;

    public bool IsChannel => Kind == PrincipalKind.Channel;

    public bool IsOperator => Kind == PrincipalKind.Operator;

    public bool HasRole(string role) => IsOperator && Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Issuer admins and auditors read everything.</summary>
    public bool ReadsEverything => HasRole(OperatorRole.IssuerAdmin) || HasRole(OperatorRole.Auditor);
}
