using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Secrets;

/// <summary>
/// A key-encryption key (KEK): 32 random bytes that seal the secrets kept at rest (token signing keys, the issuer's
/// key password). It lives outside the database and the data folder, so a copy of either alone opens nothing.
/// </summary>
/// <remarks>
/// Its <see cref="Id"/> is derived from the key (a truncated SHA-256, domain-separated): it names the key in every
/// sealed secret without anyone having to choose names, and gives nothing away about the key.
/// </remarks>
public sealed class KeyEncryptionKey
{
    public const int Size = 32;

    private readonly byte[] _key;

    public KeyEncryptionKey(byte[] key)
    {
        if (key.Length != Size) throw new ArgumentException($"a key-encryption key is {Size} bytes, not {key.Length}", nameof(key));
        _key = key.ToArray();
        Id = Convert.ToHexStringLower(SHA256.HashData([.. "meterai-kek-id\0"u8, .. key])[..6]);
    }

    /// <summary>12 hex digits naming the key in the secrets it sealed.</summary>
    public string Id { get; }

    public static KeyEncryptionKey New() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>The key as one line of a key file (base64).</summary>
    public string ToBase64() => Convert.ToBase64String(_key);

    internal AesGcm Cipher() => new(_key, SealedSecret.TagSize);

    public override string ToString() => $"kek {Id}";

    internal static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
