using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// The keys that sign and check access tokens, the same on every node: kept in the database (the first node to
/// start creates "k1"; a rotation adds the next), or one configured key. The newest key that is older than
/// <see cref="IdentityOptions.KeyActivation"/> signs, so that every node has loaded a new key (they reload every
/// <see cref="IdentityOptions.KeyRefresh"/>) before any token signed with it reaches them; every stored key verifies.
/// </summary>
public sealed class TokenKeyRing(ITokenSigningKeyStore store, IdentityOptions options, IClock clock, ILogger<TokenKeyRing> logger)
{
    public const string InitialKeyId = "k1";

    private volatile IReadOnlyList<TokenSigningKey> _keys = [];

    public async Task LoadAsync(CancellationToken ct)
    {
        if (options.ConfiguredKey is { } configured)
        {
            _keys = [configured];
            return;
        }

        var keys = await store.ListAsync(ct).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            // Every node starting on an empty database tries; the key id is fixed, so exactly one insert wins.
            var added = await store.AddAsync(new TokenSigningKey(InitialKeyId, RandomNumberGenerator.GetBytes(32), clock.UtcNow - options.KeyActivation), ct)
                .ConfigureAwait(false);
            if (added.IsOk) logger.LogInformation("created the first access-token signing key {key_id}", InitialKeyId);
            keys = await store.ListAsync(ct).ConfigureAwait(false);
        }

        _keys = keys;
    }

    /// <summary>The key that signs now.</summary>
    public TokenSigningKey Current
    {
        get
        {
            var keys = _keys;
            if (keys.Count == 0) throw new InvalidOperationException("the token key ring is not loaded");
            var activeBefore = clock.UtcNow - options.KeyActivation;
            for (var i = keys.Count - 1; i >= 0; i--)
            {
                if (keys[i].CreatedAt <= activeBefore) return keys[i];
            }

            return keys[0];
        }
    }

    public byte[]? Find(string keyId)
    {
        foreach (var k in _keys)
        {
            if (k.KeyId == keyId) return k.Secret;
        }

        return null;
    }
}
