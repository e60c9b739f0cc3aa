using Meterai.Core.Serials;

namespace Meterai.Core.Stamping;

/// <summary>
/// One stamp request, keyed by the caller and its Idempotency-Key, and everything needed to finish it on any node
/// after a crash: the attempt's serial and ledger reservation, the lease of the node working on it, and the outcome.
/// </summary>
/// <param name="Id">Derived from (caller, Idempotency-Key): a retry names the same record.</param>
/// <param name="CallerId">The applicant or channel that sent the request (the idempotency key's scope).</param>
/// <param name="ApplicantId">Whose quota pays for the stamp.</param>
/// <param name="ChannelId">The applicant's channel (the serial is reserved and stamped for it).</param>
/// <param name="RequestSha256">Fingerprint of the request (upload and fields): a retry must match it.</param>
/// <param name="Attempt">Starts at 1; a retry after a retryable failure starts the next one (new serial, new reservation).</param>
/// <param name="Serial">The current attempt's serial (registered when reserved).</param>
/// <param name="PendingTransferId">The current attempt's ledger reservation.</param>
/// <param name="LeaseToken">Who works on it: a node's random token, with <paramref name="LeaseUntil"/>.</param>
/// <param name="IsJob">Large file: stamped by a job worker from the stored upload.</param>
/// <param name="JobRuns">How many times a job worker started it.</param>
/// <param name="NextRunAt">A queued job runs at or after this time.</param>
/// <param name="ErrorRetryable">A failure the same request may retry (quota, interruption), not one it would hit again (a bad file).</param>
public sealed record StampRecord(
    UInt128 Id,
    UInt128 CallerId,
    UInt128 ApplicantId,
    UInt128 ChannelId,
    byte[] RequestSha256,
    StampState State,
    int Attempt,
    SerialNumber Serial,
    UInt128 PendingTransferId,
    UInt128 LeaseToken,
    DateTimeOffset? LeaseUntil,
    StampDocument Document,
    StampPlacement Placement,
    string? FileName,
    long InputBytes,
    byte[] InputSha256,
    bool IsJob,
    int JobRuns,
    DateTimeOffset? NextRunAt,
    byte[]? OutputSha256,
    long? OutputBytes,
    DateTimeOffset? StampedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? FileExpiresAt,
    DateTimeOffset? FilePurgedAt,
    string? ErrorCode,
    string? ErrorMessage,
    bool ErrorRetryable)
{
    public bool IsFinal => State is StampState.Completed or StampState.Failed;
}
