using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>One-time code challenges. Attempts are counted atomically, so parallel guesses cannot exceed the limit.</summary>
public interface ICodeChallengeStore
{
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
}
