using Meterai.Core.Identity;
using Meterai.Server.Api;
using Meterai.Server.Identity;
using Meterai.Server.Stamping;

namespace Meterai.Server.Verification;

/// <summary><c>POST /tsa</c>: the in-process RFC 3161 authority, for the service's own callers only (<see cref="TimestampAccess"/>).</summary>
internal static class TimestampEndpoint
{
    private static readonly string[] TokenCodes = [IdentityErrors.TokenMissing, IdentityErrors.TokenMalformed, IdentityErrors.TokenExpired,
        IdentityErrors.TokenSignatureInvalid, IdentityErrors.TokenKeyUnknown, IdentityErrors.TokenRevoked];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/tsa", async (HttpContext http, IssuerKeys keys, TimestampAccess access, CancellationToken ct) =>
            {
                if (!access.IsAllowListed(http.Connection.RemoteIpAddress))
                {
                    // Not another node: only an authenticated caller, within its limit. The challenge answers 401 with the token's own code.
                    if (http.CallerOrNull() is not { } caller) return Results.Challenge();
                    var (granted, retryAfter) = access.TryTake(caller);
                    if (!granted)
                    {
                        return ApiProblem.WithRetryAfter(ApiProblem.Of(StatusCodes.Status429TooManyRequests, TimestampAccess.TooMany,
                            $"this caller may have {access.PermitsPerMinute} timestamps a minute from this node"), retryAfter);
                    }
                }

                if (keys.TimestampAuthority is not { } tsa) return ApiProblem.Of(StatusCodes.Status404NotFound, "tsa_not_configured", "this node runs no timestamp authority");
                if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), Pdf.Signing.HttpTimestampClient.RequestMediaType, StringComparison.OrdinalIgnoreCase))
                {
                    return ApiProblem.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "send an RFC 3161 request as application/timestamp-query");
                }

                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body, ct);
                return Results.Bytes(tsa.Respond(body.ToArray()), Pdf.Signing.HttpTimestampClient.ResponseMediaType);
            })
            .AllowAnonymous() // decided above: allow-listed nodes send no token
            .WithBodyLimit(64 * 1024)
            .WithTags("Verification")
            .WithSummary("RFC 3161 timestamp authority (application/timestamp-query → application/timestamp-reply) for the service's callers: " +
                "an access token (Signing:TsaPermitsPerMinute a minute) or an address in Signing:TsaAllowedClients")
            .Problems(401, TokenCodes)
            .Problems(404, "tsa_not_configured").Problems(413, "request_too_large").Problems(415, "unsupported_media_type")
            .Problems(429, TimestampAccess.TooMany);
    }
}
