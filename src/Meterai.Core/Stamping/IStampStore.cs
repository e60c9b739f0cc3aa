using Meterai.Core.Serials;

namespace Meterai.Core.Stamping;

/// <summary>What a finished attempt records.</summary>
/// <param name="Placed">The rectangle an automatic placement chose (with <see cref="StampPlacement.Auto"/>), stored with the
/// outcome; null: the placement stays as it is.</param>
public sealed record StampCompletion(byte[] OutputSha256, long OutputBytes, DateTimeOffset StampedAt, DateTimeOffset CompletedAt, DateTimeOffset FileExpiresAt,
    StampPlacement? Placed = null);

/// <summary>Whose stamps to list: one applicant's, one channel's, or everyone's (null for both).</summary>
public sealed record StampQuery(UInt128? ApplicantId, UInt128? ChannelId, DateTimeOffset? CreatedBefore, int Limit);

/// <summary>
/// Stamp requests. Every change of a stamp in progress is conditional on the lease token (and attempt) of the node
/// making it, so a node that lost its lease (it stalled and another took over) cannot overwrite the outcome; every
/// worker claim takes rows no other node holds (SKIP LOCKED on PostgreSQL, the write lock on SQLite).
/// </summary>
public interface IStampStore
{
    /// <summary>Inserts <paramref name="record"/> unless a stamp with its id exists; returns the stored one and whether it was created.</summary>
    Task<(StampRecord Record, bool Created)> BeginAsync(StampRecord record, CancellationToken cancellationToken = default);

    Task<StampRecord?> GetAsync(UInt128 id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lease of a stamp in progress whose lease ended before <paramref name="now"/> (its node stalled or
    /// died). Null when another node holds it or the stamp is not in progress.
    /// </summary>
    Task<StampRecord?> TakeOverAsync(UInt128 id, UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts the next attempt of a stamp that failed with a retryable error in <paramref name="failedAttempt"/>: new
    /// serial and reservation, in progress under the caller's lease (or queued for a job). Null when another retry
    /// started it first or the failure is not retryable.
    /// </summary>
    Task<StampRecord?> RetryAsync(UInt128 id, int failedAttempt, UInt128 token, DateTimeOffset leaseUntil, SerialNumber serial, UInt128 pendingTransferId, CancellationToken cancellationToken = default);

    Task<bool> RenewLeaseAsync(UInt128 id, UInt128 token, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Marks the lease holder's attempt completed. False when the lease or attempt is no longer this caller's.</summary>
    Task<bool> CompleteAsync(UInt128 id, UInt128 token, int attempt, StampCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Marks the lease holder's attempt failed. False when the lease or attempt is no longer this caller's.</summary>
    Task<bool> FailAsync(UInt128 id, UInt128 token, int attempt, string code, string message, bool retryable, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Hands a job (back) to the queue, to run at or after <paramref name="nextRunAt"/>; releases the lease.</summary>
    Task<bool> QueueAsync(UInt128 id, UInt128 token, DateTimeOffset nextRunAt, string? lastError, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="limit"/> queued jobs due at <paramref name="now"/>: in progress under <paramref name="token"/>, one more run counted.</summary>
    Task<IReadOnlyList<StampRecord>> ClaimJobsAsync(UInt128 token, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Claims stamps in progress whose lease ended before <paramref name="abandonedBefore"/> (nobody came back for them).</summary>
    Task<IReadOnlyList<StampRecord>> ClaimAbandonedAsync(UInt128 token, DateTimeOffset abandonedBefore, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completed stamps whose file expired at or before <paramref name="now"/>: calls <paramref name="deleteFile"/>
    /// for each (it must be idempotent) and marks them purged, with rows claimed so that nodes purging at once share
    /// the work. Returns how many were purged.
    /// </summary>
    Task<int> PurgeExpiredFilesAsync(DateTimeOffset now, int limit, Func<StampRecord, Task> deleteFile, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<StampRecord>> ListAsync(StampQuery query, CancellationToken cancellationToken = default);
}
