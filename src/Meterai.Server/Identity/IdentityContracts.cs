using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

// Request and answer bodies of the identity endpoints (snake_case on the wire).

public sealed record RegisterRequest(string? Contact, string? Password);

public sealed record LoginRequest(string? Identifier, string? Password);

public sealed record CodeRequest(string? ChallengeId, string? Code);

public sealed record ChannelTokenRequest(string? ApiKey);

public sealed record OperatorLoginRequest(string? Email, string? Password);

/// <summary>
/// A registration's answer: the challenge to complete and where the code went. It names no applicant: the account
/// exists only once the code is confirmed, and the answer for an address that already has one must look the same.
/// </summary>
public sealed record ChallengeResponse(string ChallengeId, string Purpose, DateTimeOffset ExpiresAt, string SentTo)
{
    public static ChallengeResponse From(CodeSent s) => new(PublicId.Format(s.ChallengeId), "registration", s.ExpiresAt, s.SentTo);
}

/// <summary>A login's answer, after the right password: the challenge of the login code.</summary>
public sealed record CodeSentResponse(string ApplicantId, string ChallengeId, string Purpose, DateTimeOffset ExpiresAt, string SentTo)
{
    public static CodeSentResponse From(CodeSent s) => new(PublicId.Format(s.ApplicantId), PublicId.Format(s.ChallengeId),
        s.Purpose == CodePurpose.Registration ? "registration" : "login", s.ExpiresAt, s.SentTo);
}

public sealed record PrincipalResponse(string Id, string Kind, string? ChannelId, IReadOnlyList<string> Roles)
{
    public static PrincipalResponse From(Principal p) =>
        new(PublicId.Format(p.Id), p.Kind.Name(), p.ChannelId == UInt128.Zero ? null : PublicId.Format(p.ChannelId), p.Roles);
}

public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, DateTimeOffset ExpiresAt, PrincipalResponse Principal);

public sealed record ChannelRequest(string? Code, string? Name, long? ServiceFee);

public sealed record ChannelPatchRequest(string? Name, long? ServiceFee, string? Status);

public sealed record ChannelResponse(string Id, string Code, string Name, long ServiceFee, long PricePerStamp, string Status, DateTimeOffset CreatedAt)
{
    public static ChannelResponse From(Channel c) => new(PublicId.Format(c.Id), c.Code, c.Name, c.ServiceFee, c.PricePerStamp,
        c.Status == ChannelStatus.Active ? "active" : "suspended", c.CreatedAt);
}

public sealed record ApiKeyRequest(string? Name);

public sealed record ApiKeyResponse(string Id, string ChannelId, string Prefix, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) => new(PublicId.Format(k.Id), PublicId.Format(k.ChannelId), k.Prefix, k.Name, k.CreatedAt, k.RevokedAt);
}

/// <summary>A key just made: <see cref="Key"/> appears in this answer only.</summary>
public sealed record CreatedApiKeyResponse(string Id, string ChannelId, string Prefix, string Name, DateTimeOffset CreatedAt, string Key);
