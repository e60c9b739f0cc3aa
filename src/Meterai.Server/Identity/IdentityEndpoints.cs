using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Server.Api;

namespace Meterai.Server.Identity;

/// <summary>Registration and login of applicants, API-key exchange of channels, operator login, and who-am-I.</summary>
internal static class IdentityEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Identity");

        api.MapPost("/applicants", async (RegisterRequest body, HttpContext http, ApplicantAccess access, CancellationToken ct) =>
            {
                // The same answer whether the address is new or has an account (its owner gets a notice instead of a code).
                var sent = await access.RegisterAsync(body.Contact, body.Password, ClientAddress.Of(http), ct);
                return sent.Result.IsOk ? Results.Accepted(value: ChallengeResponse.From(sent.Result.Value)) : Problem(sent);
            })
            .AllowAnonymous()
            .WithSummary("Register an applicant (e-mail or Indonesian mobile number, password): a registration code is sent to the address "
                         + "(or, when it already has an account, a notice to its owner: the answer is the same)")
            .Produces<ChallengeResponse>(StatusCodes.Status202Accepted)
            .Problems(400, IdentityErrors.ContactInvalid, IdentityErrors.PasswordTooWeak, "invalid_json")
            .Problems(429, IdentityErrors.TooManyCodes)
            .Problems(503, CodeDeliveryException.Code);

        api.MapPost("/auth/applicant/login", async (LoginRequest body, HttpContext http, ApplicantAccess access, CancellationToken ct) =>
            {
                var sent = await access.StartLoginAsync(body.Identifier, body.Password, ClientAddress.Of(http), ct);
                return sent.Result.IsOk ? Results.Accepted(value: CodeSentResponse.From(sent.Result.Value)) : Problem(sent);
            })
            .AllowAnonymous()
            .WithSummary("Applicant login, step 1: password; a login code is sent")
            .Produces<CodeSentResponse>(StatusCodes.Status202Accepted)
            .Problems(401, IdentityErrors.InvalidCredentials)
            .Problems(403, IdentityErrors.ApplicantDisabled)
            .Problems(429, IdentityErrors.TooManyAttempts, IdentityErrors.TooManyCodes)
            .Problems(503, CodeDeliveryException.Code);

        api.MapPost("/auth/applicant/code", async (CodeRequest body, ApplicantAccess access, AccessTokens tokens, TokenSubjects subjects, CancellationToken ct) =>
            {
                if (!PublicId.TryParse(body.ChallengeId, out var challenge)) return ApiProblem.Field("challenge_id_invalid", "challenge_id", "challenge_id is the id from the login or registration answer");
                var applicant = await access.CompleteAsync(challenge, body.Code, ct);
                if (!applicant.IsOk) return ApiProblem.Of(applicant.Error);
                return Results.Ok(Token(tokens, subjects, new Principal(applicant.Value.Id, PrincipalKind.Applicant, applicant.Value.ChannelId, [])));
            })
            .AllowAnonymous()
            .WithSummary("Applicant login, step 2 (and registration): the one-time code; answers an access token")
            .Produces<TokenResponse>()
            .Problems(400, "challenge_id_invalid")
            .Problems(401, IdentityErrors.CodeInvalid, IdentityErrors.CodeExpired, IdentityErrors.CodeAlreadyUsed)
            .Problems(403, IdentityErrors.ApplicantDisabled)
            .Problems(404, IdentityErrors.ChallengeNotFound)
            .Problems(409, IdentityErrors.ContactAlreadyRegistered)
            .Problems(429, IdentityErrors.CodeAttemptsExhausted);

        api.MapPost("/auth/channel/token", async (ChannelTokenRequest body, ChannelAccess access, AccessTokens tokens, TokenSubjects subjects, CancellationToken ct) =>
            {
                var exchanged = await access.ExchangeAsync(body.ApiKey, ct);
                if (!exchanged.IsOk) return ApiProblem.Of(exchanged.Error);
                var (channel, key) = exchanged.Value;
                return Results.Ok(Token(tokens, subjects, new Principal(channel.Id, PrincipalKind.Channel, channel.Id, [], key.Id)));
            })
            .AllowAnonymous()
            .WithSummary("Exchange a channel's API key for an access token")
            .Produces<TokenResponse>()
            .Problems(401, IdentityErrors.ApiKeyInvalid, IdentityErrors.ApiKeyRevoked)
            .Problems(403, IdentityErrors.ChannelSuspended);

        api.MapPost("/auth/operator/login", async (OperatorLoginRequest body, HttpContext http, OperatorAccess access, AccessTokens tokens, TokenSubjects subjects, CancellationToken ct) =>
            {
                var op = await access.LoginAsync(body.Email, body.Password, ClientAddress.Of(http), ct);
                if (!op.Result.IsOk) return Problem(op);
                return Results.Ok(Token(tokens, subjects, new Principal(op.Result.Value.Id, PrincipalKind.Operator, UInt128.Zero, op.Result.Value.Roles)));
            })
            .AllowAnonymous()
            .WithSummary("Operator login (issuer admin, auditor): e-mail and password")
            .Produces<TokenResponse>()
            .Problems(401, IdentityErrors.InvalidCredentials)
            .Problems(429, IdentityErrors.TooManyAttempts);

        api.MapGet("/me", (HttpContext http) => Results.Ok(PrincipalResponse.From(http.Caller())))
            .RequireAuthorization(AccessPolicies.Authenticated)
            .WithSummary("The caller, as its access token describes it")
            .Produces<PrincipalResponse>()
            .Problems(401, IdentityErrors.TokenCodes);
    }

    /// <summary>A refusal as a problem, with Retry-After when it says how long to wait (429).</summary>
    private static IResult Problem<T>(Limited<T> refused) =>
        refused.RetryAfter is { } after ? ApiProblem.WithRetryAfter(ApiProblem.Of(refused.Result.Error!), after) : ApiProblem.Of(refused.Result.Error!);

    private static TokenResponse Token(AccessTokens tokens, TokenSubjects subjects, Principal principal)
    {
        subjects.Remember(principal);
        var issued = tokens.Issue(principal);
        var seconds = (long)Math.Max(0, (issued.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds);
        return new TokenResponse(issued.Token, "Bearer", seconds, issued.ExpiresAt, PrincipalResponse.From(principal));
    }
}
