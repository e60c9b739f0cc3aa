using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Channels;

/// <summary>
/// A channel's API key as stored: a lookup prefix and the SHA-256 of the whole key, never the key itself (it is
/// shown once, when created). A channel may hold several (one per integration, rotated without downtime).
/// </summary>
public sealed record ApiKey(UInt128 Id, UInt128 ChannelId, string Prefix, byte[] SecretSha256, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// The key format: <c>mtr_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix (12 lower-case base-32 characters) finds the row;
/// the secret is 32 bytes from the CSPRNG (base64url), so the hash needs no salt or stretching: there is nothing
/// to guess. Only SHA-256 of the full key is stored.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "mtr_";
    public const int PrefixLength = 12;
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new key: the full text to hand over once, its prefix, and the hash to store.</summary>
    public static (string Key, string Prefix, byte[] Sha256) Generate()
    {
        Span<char> prefix = stackalloc char[PrefixLength];
        for (var i = 0; i < PrefixLength; i++) prefix[i] = Base32[RandomNumberGenerator.GetInt32(Base32.Length)];
        var p = new string(prefix);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = $"{Marker}{p}_{secret}";
        return (key, p, Hash(key));
    }

    /// <summary>The prefix of a well-formed key, or null.</summary>
    public static string? PrefixOf(string? key)
    {
        if (key is null || key.Length != Marker.Length + PrefixLength + 1 + 43 || !key.StartsWith(Marker, StringComparison.Ordinal)) return null;
        if (key[Marker.Length + PrefixLength] != '_') return null;
        var prefix = key.Substring(Marker.Length, PrefixLength);
        return prefix.All(c => Base32.Contains(c, StringComparison.Ordinal)) ? prefix : null;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time check of a presented key against the stored hash.</summary>
    public static bool Matches(string key, byte[] storedSha256) => CryptographicOperations.FixedTimeEquals(Hash(key), storedSha256);
}
