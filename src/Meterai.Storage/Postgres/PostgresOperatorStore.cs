using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresOperatorStore(NpgsqlDataSource ds) : IOperatorStore
{
    private const string Columns = "id, email, password_hash, roles, created_at, disabled_at";

    public async Task<Result<Operator>> CreateAsync(Operator op, CancellationToken cancellationToken = default)
    {
        var inserted = await Pg.ExecuteAsync(ds, $"INSERT INTO operators ({Columns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
            cancellationToken, Pg.Id(op.Id), Pg.Text(op.Email), Pg.Text(op.PasswordHash), Pg.Text(string.Join(',', op.Roles)), Pg.Time(op.CreatedAt),
            Pg.Time(op.DisabledAt)).ConfigureAwait(false);
        if (inserted == 0) return new Error(IdentityErrors.OperatorExists, $"an operator with e-mail {op.Email} exists");
        return op with { CreatedAt = TimeCodec.Truncate(op.CreatedAt) };
    }

    public Task<Operator?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM operators WHERE email = $1", Read, cancellationToken, Pg.Text(email));

    public Task<Operator?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM operators WHERE id = $1", Read, cancellationToken, Pg.Id(id));

    public Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "UPDATE operators SET password_hash = $1 WHERE id = $2", cancellationToken, Pg.Text(passwordHash), Pg.Id(id));

    public async Task<Operator?> SetDisabledAsync(UInt128 id, DateTimeOffset? at, CancellationToken cancellationToken = default) =>
        // Disabling again keeps the first time; enabling clears it.
        await Pg.FirstAsync(ds, $"""
            UPDATE operators SET disabled_at = CASE WHEN $1::timestamptz IS NULL THEN NULL ELSE coalesce(disabled_at, $1) END WHERE id = $2
            RETURNING {Columns}
            """, Read, cancellationToken, Pg.Time(at), Pg.Id(id)).ConfigureAwait(false);

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = ds.CreateCommand("SELECT count(*) FROM operators");
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Operator Read(NpgsqlDataReader r) => new(
        r.GetId(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), r.GetTime(4), r.GetTimeOrNull(5));
}
