using System.Security.Cryptography;
using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>
/// A secret that signs access tokens (HMAC-SHA256). Every node must sign and check with the same keys, so they live
/// in the database; the newest signs, every key still stored verifies (so tokens survive a rotation).
/// </summary>
/// <param name="KeyId">Short, unique, carried in each token's header ("k1", "k2", …).</param>
public sealed record TokenSigningKey(string KeyId, byte[] Secret, DateTimeOffset CreatedAt);

public interface ITokenSigningKeyStore
{
    /// <summary>Every key, oldest first.</summary>
    Task<IReadOnlyList<TokenSigningKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a key. Error <c>signing_key_exists</c> when the id is taken (another node added it first: reload).</summary>
    Task<Result<TokenSigningKey>> AddAsync(TokenSigningKey key, CancellationToken cancellationToken = default);
}

/// <summary>
/// The <c>token_signing_keys</c> table as stored: each <see cref="TokenSigningKey.Secret"/> is what the row holds
/// (sealed with a key-encryption key; plaintext only in rows written before sealing). Servers and the CLI read it
/// through <see cref="SealedTokenSigningKeyStore"/>, never directly.
/// </summary>
public interface IStoredTokenSigningKeys : ITokenSigningKeyStore
{
    /// <summary>Replaces a key's stored secret if it still is <paramref name="current"/> (false: another node changed it first).</summary>
    Task<bool> ReplaceSecretAsync(string keyId, byte[] current, byte[] replacement, CancellationToken cancellationToken = default);
}

public static class TokenSigningKeyRotation
{
    /// <summary>
    /// Adds the next key ("k2", "k3", …). Servers start signing with it once it is old enough for every node to have
    /// loaded it. Error <c>signing_key_exists</c> when another rotation won the race.
    /// </summary>
    public static async Task<Result<TokenSigningKey>> RotateAsync(ITokenSigningKeyStore store, IClock clock, CancellationToken ct = default)
    {
        var keys = await store.ListAsync(ct).ConfigureAwait(false);
        var next = 1 + keys.Select(k => k.KeyId.StartsWith('k') && int.TryParse(k.KeyId.AsSpan(1), out var n) ? n : 0).DefaultIfEmpty(0).Max();
        return await store.AddAsync(new TokenSigningKey($"k{next}", RandomNumberGenerator.GetBytes(32), clock.UtcNow), ct).ConfigureAwait(false);
    }
}
