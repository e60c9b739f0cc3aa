namespace Meterai.Core.Identity;

/// <summary>A one-time code was sent: answer with the challenge to complete, never with the code.</summary>
/// <param name="ApplicantId">The applicant (login), or the applicant the registration becomes once confirmed: never shown to a registrant.</param>
public sealed record CodeSent(UInt128 ApplicantId, UInt128 ChallengeId, CodePurpose Purpose, DateTimeOffset ExpiresAt, string SentTo);
