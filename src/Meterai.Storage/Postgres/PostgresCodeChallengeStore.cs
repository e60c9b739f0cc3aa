using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresCodeChallengeStore(NpgsqlDataSource ds) : ICodeChallengeStore
{
    private const string Columns = "id, applicant_id, purpose, code_hash, attempts, max_attempts, expires_at, consumed_at, created_at";

    public Task CreateAsync(CodeChallenge c, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, $"INSERT INTO code_challenges ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING", cancellationToken,
            Pg.Id(c.Id), Pg.Id(c.ApplicantId), Pg.Short((short)c.Purpose), Pg.Bytes(c.CodeHash), Pg.Int(c.Attempts), Pg.Int(c.MaxAttempts),
            Pg.Time(c.ExpiresAt), Pg.Time(c.ConsumedAt), Pg.Time(c.CreatedAt));

    public Task<CodeChallenge?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM code_challenges WHERE id = $1", Read, cancellationToken, Pg.Id(id));

    public Task<Result<CodeChallenge>> CountAttemptAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Pg.InTransactionAsync<Result<CodeChallenge>>(ds, async (conn, tx, ct) =>
        {
            var c = await Pg.FirstAsync(conn, tx, $"SELECT {Columns} FROM code_challenges WHERE id = $1 FOR UPDATE", Read, ct, Pg.Id(id)).ConfigureAwait(false);
            if (c is null) return new Error(IdentityErrors.ChallengeNotFound, "no such code challenge: ask for a new code");
            if (OneTimeCode.RefuseAttempt(c, now) is { } refusal) return refusal;
            await Pg.ExecuteAsync(conn, tx, "UPDATE code_challenges SET attempts = attempts + 1 WHERE id = $1", ct, Pg.Id(id)).ConfigureAwait(false);
            return c with { Attempts = c.Attempts + 1 };
        }, cancellationToken);

    public async Task<bool> ConsumeAsync(UInt128 id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, "UPDATE code_challenges SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL", cancellationToken,
            Pg.Time(now), Pg.Id(id)).ConfigureAwait(false) == 1;

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM code_challenges WHERE expires_at < $1", cancellationToken, Pg.Time(before));

    private static CodeChallenge Read(NpgsqlDataReader r) => new(
        r.GetId(0), r.GetId(1), (CodePurpose)r.GetInt16(2), r.GetFieldValue<byte[]>(3), r.GetInt32(4), r.GetInt32(5), r.GetTime(6), r.GetTimeOrNull(7), r.GetTime(8));
}
