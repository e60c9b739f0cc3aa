using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteCodeChallengeStore(SqliteConnections db) : ICodeChallengeStore
{
    private const string Columns = "id, applicant_id, purpose, code_hash, attempts, max_attempts, expires_at, consumed_at, created_at";

    public Task CreateAsync(CodeChallenge c, CancellationToken cancellationToken = default) =>
        db.WriteAsync((conn, tx) => InsertAsync(conn, tx, c, cancellationToken), cancellationToken);

    /// <summary>The insert, for a store that writes a challenge in its own transaction (a registration and its code).</summary>
    internal static Task<int> InsertAsync(SqliteConnection conn, SqliteTransaction tx, CodeChallenge c, CancellationToken ct) =>
        Sq.ExecuteAsync(conn, tx, $"INSERT INTO code_challenges ({Columns}) VALUES ($id, $a, $p, $h, $n, $m, $e, $c, $t) ON CONFLICT (id) DO NOTHING", ct,
            ("$id", Sq.Id(c.Id)), ("$a", Sq.Id(c.ApplicantId)), ("$p", (short)c.Purpose), ("$h", c.CodeHash), ("$n", c.Attempts), ("$m", c.MaxAttempts),
            ("$e", Sq.Time(c.ExpiresAt)), ("$c", Sq.Time(c.ConsumedAt)), ("$t", Sq.Time(c.CreatedAt)));

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM code_challenges WHERE expires_at < $t", cancellationToken, ("$t", Sq.Time(before)));

    public Task<CodeChallenge?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM code_challenges WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id)));

    public Task<Result<CodeChallenge>> CountAttemptAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<CodeChallenge>>(async (conn, tx) =>
        {
            var c = await Sq.FirstAsync(conn, tx, $"SELECT {Columns} FROM code_challenges WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id))).ConfigureAwait(false);
            if (c is null) return new Error(IdentityErrors.ChallengeNotFound, "no such code challenge: ask for a new code");
            if (OneTimeCode.RefuseAttempt(c, now) is { } refusal) return refusal;
            await Sq.ExecuteAsync(conn, tx, "UPDATE code_challenges SET attempts = attempts + 1 WHERE id = $id", cancellationToken, ("$id", Sq.Id(id))).ConfigureAwait(false);
            return c with { Attempts = c.Attempts + 1 };
        }, cancellationToken);

    public async Task<bool> ConsumeAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, "UPDATE code_challenges SET consumed_at = $t WHERE id = $id AND consumed_at IS NULL", cancellationToken,
            ("$t", Sq.Time(now)), ("$id", Sq.Id(id))).ConfigureAwait(false) == 1;

    private static CodeChallenge Read(SqliteDataReader r) => new(
        r.GetId(0), r.GetId(1), (CodePurpose)r.GetInt16(2), (byte[])r[3], r.GetInt32(4), r.GetInt32(5), r.GetTime(6), r.GetTimeOrNull(7), r.GetTime(8));
}
