using System.Security.Cryptography;
using Meterai.Core.Common;

namespace Meterai.Core.Secrets;

/// <summary>
/// Seals and opens secrets at rest with AES-256-GCM under the key-encryption keys it holds: the newest seals, every
/// one opens (so the KEK can rotate: add a key, re-seal with <c>meterai kek reseal</c>, then drop the old one).
/// </summary>
public sealed class SecretSealer
{
    private readonly KeyEncryptionKey[] _keys;

    /// <param name="keys">Oldest first; the last one seals.</param>
    public SecretSealer(IReadOnlyList<KeyEncryptionKey> keys)
    {
        if (keys.Count == 0) throw new ArgumentException("at least one key-encryption key is needed", nameof(keys));
        _keys = [.. keys];
    }

    public KeyEncryptionKey Current => _keys[^1];

    public IReadOnlyList<KeyEncryptionKey> Keys => _keys;

    public byte[] Seal(ReadOnlySpan<byte> secret, string purpose)
    {
        var kek = Current;
        var id = KeyEncryptionKey.Ascii(kek.Id);
        var header = SealedSecret.Magic.Length + 1 + id.Length;
        var sealedBytes = new byte[header + SealedSecret.NonceSize + SealedSecret.TagSize + secret.Length];
        SealedSecret.Magic.CopyTo(sealedBytes);
        sealedBytes[SealedSecret.Magic.Length] = (byte)id.Length;
        id.CopyTo(sealedBytes.AsSpan(SealedSecret.Magic.Length + 1));
        var nonce = sealedBytes.AsSpan(header, SealedSecret.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = sealedBytes.AsSpan(header + SealedSecret.NonceSize, SealedSecret.TagSize);
        var ciphertext = sealedBytes.AsSpan(header + SealedSecret.NonceSize + SealedSecret.TagSize);
        using var aes = kek.Cipher();
        aes.Encrypt(nonce, secret, ciphertext, tag, AssociatedData(purpose));
        return sealedBytes;
    }

    /// <summary>
    /// Opens a sealed secret. Errors: <c>secret_not_sealed</c>, <c>secret_key_unknown</c> (sealed under a KEK this
    /// ring lacks), <c>secret_unseal_failed</c> (altered, or sealed for another purpose).
    /// </summary>
    public Result<byte[]> Open(ReadOnlySpan<byte> stored, string purpose)
    {
        if (SealedSecret.KeyIdOf(stored) is not { } id) return new Error(SecretErrors.NotSealed, "the stored secret is not sealed");
        var kek = Array.Find(_keys, k => k.Id == id);
        if (kek is null) return new Error(SecretErrors.KeyUnknown, $"the secret ({purpose}) is sealed with key-encryption key {id}, which is not configured here");
        var header = SealedSecret.Magic.Length + 1 + id.Length;
        var nonce = stored.Slice(header, SealedSecret.NonceSize);
        var tag = stored.Slice(header + SealedSecret.NonceSize, SealedSecret.TagSize);
        var ciphertext = stored[(header + SealedSecret.NonceSize + SealedSecret.TagSize)..];
        var secret = new byte[ciphertext.Length];
        try
        {
            using var aes = kek.Cipher();
            aes.Decrypt(nonce, ciphertext, tag, secret, AssociatedData(purpose));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return new Error(SecretErrors.UnsealFailed, $"the secret ({purpose}) does not open with key-encryption key {id}: it was altered or belongs elsewhere");
        }
    }

    /// <summary>True when <paramref name="stored"/> is sealed with the current KEK (nothing to re-seal).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> stored) => SealedSecret.KeyIdOf(stored) == Current.Id;

    private static byte[] AssociatedData(string purpose) => KeyEncryptionKey.Ascii("meterai-sealed-v1\0" + purpose);
}

public static class SecretErrors
{
    public const string NotSealed = "secret_not_sealed";
    public const string KeyUnknown = "secret_key_unknown";
    public const string UnsealFailed = "secret_unseal_failed";
}
