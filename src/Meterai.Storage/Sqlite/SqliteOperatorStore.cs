using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteOperatorStore(SqliteConnections db) : IOperatorStore
{
    private const string Columns = "id, email, password_hash, roles, created_at, disabled_at";

    public async Task<Result<Operator>> CreateAsync(Operator op, CancellationToken cancellationToken = default)
    {
        var inserted = await Sq.ExecuteAsync(db, $"INSERT INTO operators ({Columns}) VALUES ($id, $e, $h, $r, $t, $d) ON CONFLICT (email) DO NOTHING",
            cancellationToken, ("$id", Sq.Id(op.Id)), ("$e", op.Email), ("$h", op.PasswordHash), ("$r", string.Join(',', op.Roles)),
            ("$t", Sq.Time(op.CreatedAt)), ("$d", Sq.Time(op.DisabledAt))).ConfigureAwait(false);
        if (inserted == 0) return new Error(IdentityErrors.OperatorExists, $"an operator with e-mail {op.Email} exists");
        return op with { CreatedAt = TimeCodec.Truncate(op.CreatedAt) };
    }

    public Task<Operator?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM operators WHERE email = $e", Read, cancellationToken, ("$e", email));

    public Task<Operator?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM operators WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id)));

    public Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "UPDATE operators SET password_hash = $h WHERE id = $id", cancellationToken, ("$h", passwordHash), ("$id", Sq.Id(id)));

    public async Task<Operator?> SetDisabledAsync(UInt128 id, DateTimeOffset? at, CancellationToken cancellationToken = default)
    {
        // Disabling again keeps the first time; enabling clears it.
        await Sq.ExecuteAsync(db, "UPDATE operators SET disabled_at = CASE WHEN $d IS NULL THEN NULL ELSE coalesce(disabled_at, $d) END WHERE id = $id", cancellationToken,
            ("$d", Sq.Time(at)), ("$id", Sq.Id(id))).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default) =>
        (await Sq.QueryAsync(db, "SELECT count(*) FROM operators", r => r.GetInt32(0), cancellationToken).ConfigureAwait(false))[0];

    private static Operator Read(SqliteDataReader r) => new(
        r.GetId(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), r.GetTime(4), r.GetTimeOrNull(5));
}
