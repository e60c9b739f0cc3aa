using Meterai.Storage.Ledger;
using Npgsql;

namespace Meterai.Storage.Postgres;

/// <summary>
/// Re-runs a whole transaction that lost a race to another node: a unique key another writer inserted first
/// (23505), a deadlock (40P01, cannot happen with our lock order but is cheap to survive), a serialization failure
/// (40001), or a conditional update that found the row already changed. The retry reads fresh state, so the loser
/// then sees the winner's rows (a replay answers <c>exists</c>, a second resolution <c>already_posted</c>, …).
/// </summary>
internal static class PostgresRetry
{
    private const int MaxAttempts = 50;

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> transaction, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsLostRace(e))
            {
                // Jittered, growing pause so that two nodes that collided do not collide again in lockstep.
                await Task.Delay(Random.Shared.Next(0, Math.Min(50, 1 << Math.Min(attempt, 6))), ct).ConfigureAwait(false);
            }
        }
    }

    public static bool IsLostRace(Exception e) => e switch
    {
        LostRaceException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
        _ => false,
    };
}
