using System.Security.Claims;
using System.Text.Encodings.Web;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Meterai.Server.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;access token&gt;</c>. A request without the header is anonymous (public
/// endpoints answer it; protected ones challenge with 401 <c>token_missing</c>); a bad token is refused with its own
/// code (<c>token_malformed</c>, <c>token_expired</c>, <c>token_signature_invalid</c>, <c>token_key_unknown</c>,
/// <c>token_lifetime_exceeded</c>, <c>token_revoked</c>, <c>token_subject_unknown</c>); a caller without the right
/// kind or role gets 403 <c>forbidden</c>.
/// </summary>
internal sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokens tokens,
    AccessRevocationCache revocations,
    TokenSubjects subjects)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "meterai.auth.failure";
    internal const string PrincipalKey = "meterai.principal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(new Error(IdentityErrors.TokenMalformed, "use Authorization: Bearer <access token>"));
        }

        var validated = tokens.Validate(header["Bearer ".Length..].Trim());
        if (!validated.IsOk) return Fail(validated.Error);
        var (principal, _) = validated.Value;
        if (revocations.IsRevoked(principal)) return Fail(new Error(IdentityErrors.TokenRevoked, "the API key behind this token was revoked or its channel suspended"));
        if (await subjects.CheckAsync(principal, Context.RequestAborted) is { } refused) return Fail(refused);

        var claims = new List<Claim>
        {
            new(AccessTokenClaims.Subject, PublicId.Format(principal.Id)),
            new(AccessTokenClaims.Kind, principal.Kind.Name()),
        };
        if (principal.ChannelId != UInt128.Zero) claims.Add(new Claim(AccessTokenClaims.Channel, PublicId.Format(principal.ChannelId)));
        claims.AddRange(principal.Roles.Select(r => new Claim(AccessTokenClaims.Role, r)));
        Context.Items[PrincipalKey] = principal;
        var identity = new ClaimsIdentity(claims, SchemeName, AccessTokenClaims.Subject, AccessTokenClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[FailureKey] as Error ?? new Error(IdentityErrors.TokenMissing, "this endpoint needs an access token: Authorization: Bearer <token>");
        Response.Headers.WWWAuthenticate = error.Code == IdentityErrors.TokenMissing ? "Bearer" : "Bearer error=\"invalid_token\"";
        return WriteAsync(StatusCodes.Status401Unauthorized, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, new Error(IdentityErrors.Forbidden, "this caller may not do that"));

    private AuthenticateResult Fail(Error error)
    {
        Context.Items[FailureKey] = error;
        return AuthenticateResult.Fail(error.Message);
    }

    private async Task WriteAsync(int status, Error error)
    {
        Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), Detail = error.Message, Type = ApiProblem.TypeFor(status) };
        problem.Extensions["code"] = error.Code;
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem });
    }
}
