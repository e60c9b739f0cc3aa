using Meterai.Core.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Meterai.Server.Identity;

/// <summary>
/// Authorization policies by kind and role. Protect an endpoint with <c>.RequireAuthorization(AccessPolicies.X)</c>
/// and read the caller with <c>httpContext.Caller()</c>; decisions about whose data a caller may see (an applicant
/// only their own, a channel only its own) are made in the endpoint against that principal.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Any valid access token.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>A logged-in applicant.</summary>
    public const string Applicant = "applicant";

    /// <summary>A channel (exchanged an API key).</summary>
    public const string Channel = "channel";

    /// <summary>Whoever may stamp: an applicant for themselves, a channel for one of its applicants.</summary>
    public const string Stamper = "stamper";

    /// <summary>An operator with the issuer_admin role: the only one who changes issuer-side data.</summary>
    public const string IssuerAdmin = "issuer_admin";

    /// <summary>An operator who reads everything: auditor or issuer_admin. Endpoints under it never change anything.</summary>
    public const string Auditor = "auditor";

    internal static void Add(AuthorizationBuilder builder)
    {
        builder.AddPolicy(Authenticated, p => p.RequireAuthenticatedUser());
        builder.AddPolicy(Applicant, p => p.RequireAssertion(c => Kind(c) == PrincipalKind.Applicant));
        builder.AddPolicy(Channel, p => p.RequireAssertion(c => Kind(c) == PrincipalKind.Channel));
        builder.AddPolicy(Stamper, p => p.RequireAssertion(c => Kind(c) is PrincipalKind.Applicant or PrincipalKind.Channel));
        builder.AddPolicy(IssuerAdmin, p => p.RequireAssertion(c => Kind(c) == PrincipalKind.Operator && c.User.HasClaim(AccessTokenClaims.Role, OperatorRole.IssuerAdmin)));
        builder.AddPolicy(Auditor, p => p.RequireAssertion(c => Kind(c) == PrincipalKind.Operator
            && (c.User.HasClaim(AccessTokenClaims.Role, OperatorRole.Auditor) || c.User.HasClaim(AccessTokenClaims.Role, OperatorRole.IssuerAdmin))));
    }

    private static PrincipalKind? Kind(AuthorizationHandlerContext c) => PrincipalKindNames.Parse(c.User.FindFirst(AccessTokenClaims.Kind)?.Value);
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller of a request that passed an access policy.</summary>
    public static Principal Caller(this HttpContext context) =>
        context.Items[AccessTokenHandler.PrincipalKey] as Principal ?? throw new InvalidOperationException("the endpoint is not protected by an access policy");

    /// <summary>The caller, or null for an anonymous request.</summary>
    public static Principal? CallerOrNull(this HttpContext context) => context.Items[AccessTokenHandler.PrincipalKey] as Principal;
}
