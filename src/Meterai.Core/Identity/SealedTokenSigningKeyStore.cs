using Meterai.Core.Common;
using Meterai.Core.Secrets;

namespace Meterai.Core.Identity;

/// <summary>
/// Token signing keys sealed at rest: a key is sealed with the current key-encryption key before it is stored and
/// opened when listed, so the database alone (a backup, a copied file) mints no token. A key stored in plaintext (a
/// database from before sealing) is sealed in place the first time it is listed; several nodes may do that at once,
/// the stored value is compared and swapped, and every node then reads the same key.
/// </summary>
public sealed class SealedTokenSigningKeyStore(IStoredTokenSigningKeys stored, SecretSealer sealer) : ITokenSigningKeyStore
{
    public static string Purpose(string keyId) => "token_signing_key:" + keyId;

    public async Task<IReadOnlyList<TokenSigningKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await stored.ListAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<TokenSigningKey>(rows.Count);
        foreach (var row in rows)
        {
            if (!SealedSecret.IsSealed(row.Secret))
            {
                await stored.ReplaceSecretAsync(row.KeyId, row.Secret, sealer.Seal(row.Secret, Purpose(row.KeyId)), cancellationToken).ConfigureAwait(false);
                keys.Add(row);
                continue;
            }

            var opened = sealer.Open(row.Secret, Purpose(row.KeyId));
            if (!opened.IsOk) throw new InvalidOperationException($"token signing key {row.KeyId}: {opened.Error}");
            keys.Add(row with { Secret = opened.Value });
        }

        return keys;
    }

    public async Task<Result<TokenSigningKey>> AddAsync(TokenSigningKey key, CancellationToken cancellationToken = default)
    {
        var added = await stored.AddAsync(key with { Secret = sealer.Seal(key.Secret, Purpose(key.KeyId)) }, cancellationToken).ConfigureAwait(false);
        return added.IsOk ? added.Value with { Secret = key.Secret } : added;
    }

    /// <summary>
    /// Seals every key again with the current key-encryption key (after a KEK rotation, so the old KEK can go).
    /// Returns how many keys were re-sealed.
    /// </summary>
    public async Task<int> ResealAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        foreach (var row in await stored.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (sealer.IsCurrent(row.Secret)) continue;
            var plain = SealedSecret.IsSealed(row.Secret) ? sealer.Open(row.Secret, Purpose(row.KeyId)) : Result<byte[]>.Ok(row.Secret);
            if (!plain.IsOk) throw new InvalidOperationException($"token signing key {row.KeyId}: {plain.Error}");
            if (await stored.ReplaceSecretAsync(row.KeyId, row.Secret, sealer.Seal(plain.Value, Purpose(row.KeyId)), cancellationToken).ConfigureAwait(false)) count++;
        }

        return count;
    }
}
