using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresTokenSigningKeyStore(NpgsqlDataSource ds) : IStoredTokenSigningKeys
{
    public async Task<IReadOnlyList<TokenSigningKey>> ListAsync(CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, "SELECT key_id, secret, created_at FROM token_signing_keys ORDER BY created_at, key_id", Read, cancellationToken).ConfigureAwait(false);

    public async Task<Result<TokenSigningKey>> AddAsync(TokenSigningKey key, CancellationToken cancellationToken = default)
    {
        var inserted = await Pg.ExecuteAsync(ds, "INSERT INTO token_signing_keys (key_id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
            cancellationToken, Pg.Text(key.KeyId), Pg.Bytes(key.Secret), Pg.Time(key.CreatedAt)).ConfigureAwait(false);
        return inserted == 1
            ? key with { CreatedAt = TimeCodec.Truncate(key.CreatedAt) }
            : new Error(IdentityErrors.SigningKeyExists, $"a token signing key with id {key.KeyId} exists");
    }

    public async Task<bool> ReplaceSecretAsync(string keyId, byte[] current, byte[] replacement, CancellationToken cancellationToken = default) =>
        await Pg.ExecuteAsync(ds, "UPDATE token_signing_keys SET secret = $3 WHERE key_id = $1 AND secret = $2",
            cancellationToken, Pg.Text(keyId), Pg.Bytes(current), Pg.Bytes(replacement)).ConfigureAwait(false) == 1;

    private static TokenSigningKey Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetTime(2));
}
