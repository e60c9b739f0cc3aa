namespace Meterai.Core.Identity;

/// <summary>A one-time code was sent: answer with the challenge to complete, never with the code.</summary>
public sealed record CodeSent(UInt128 ApplicantId, UInt128 ChallengeId, CodePurpose Purpose, DateTimeOffset ExpiresAt, string SentTo);
