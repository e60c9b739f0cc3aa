using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteTokenSigningKeyStore(SqliteConnections db) : IStoredTokenSigningKeys
{
    public async Task<IReadOnlyList<TokenSigningKey>> ListAsync(CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, "SELECT key_id, secret, created_at FROM token_signing_keys ORDER BY created_at, key_id", Read, cancellationToken).ConfigureAwait(false);

    public async Task<Result<TokenSigningKey>> AddAsync(TokenSigningKey key, CancellationToken cancellationToken = default)
    {
        var inserted = await Sq.ExecuteAsync(db, "INSERT INTO token_signing_keys (key_id, secret, created_at) VALUES ($k, $s, $t) ON CONFLICT (key_id) DO NOTHING",
            cancellationToken, ("$k", key.KeyId), ("$s", key.Secret), ("$t", Sq.Time(key.CreatedAt))).ConfigureAwait(false);
        return inserted == 1
            ? key with { CreatedAt = TimeCodec.Truncate(key.CreatedAt) }
            : new Error(IdentityErrors.SigningKeyExists, $"a token signing key with id {key.KeyId} exists");
    }

    public async Task<bool> ReplaceSecretAsync(string keyId, byte[] current, byte[] replacement, CancellationToken cancellationToken = default) =>
        await Sq.ExecuteAsync(db, "UPDATE token_signing_keys SET secret = $new WHERE key_id = $k AND secret = $old",
            cancellationToken, ("$k", keyId), ("$old", current), ("$new", replacement)).ConfigureAwait(false) == 1;

    private static TokenSigningKey Read(SqliteDataReader r) => new(r.GetString(0), (byte[])r[1], r.GetTime(2));
}
