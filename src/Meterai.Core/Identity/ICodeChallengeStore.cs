using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>One-time code challenges. Attempts are counted atomically, so parallel guesses cannot exceed the limit.</summary>
public interface ICodeChallengeStore
{
    /// <summary>
    /// Stores a challenge. <see cref="CodeChallenge.ApplicantId"/> names the applicant the code is for; a registration's
    /// challenge names the applicant its registration becomes once confirmed (<see cref="PendingRegistration.Id"/>).
    /// </summary>
    Task CreateAsync(CodeChallenge challenge, CancellationToken cancellationToken = default);

    Task<CodeChallenge?> GetAsync(UInt128 id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts one attempt against the challenge, unless <see cref="OneTimeCode.RefuseAttempt"/> refuses it (then
    /// nothing is counted and its error is returned), and returns the challenge as it is after counting. Error
    /// <c>challenge_not_found</c>.
    /// </summary>
    Task<Result<CodeChallenge>> CountAttemptAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks the challenge used. True for the one caller that consumed it; false when it already was.</summary>
    Task<bool> ConsumeAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Forgets challenges that expired before <paramref name="before"/> (housekeeping; any node may run it).</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
