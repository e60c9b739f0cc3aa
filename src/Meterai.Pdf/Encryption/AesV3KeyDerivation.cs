using System.Security.Cryptography;

namespace Meterai.Pdf.Encryption;

/// <summary>
/// Password checks and the file key of AES-256 encryption, revisions 5 (Adobe extension level 3) and 6 (ISO 32000-2,
/// §7.6.4.3.3–4, algorithm 2.A and the hash of algorithm 2.B).
/// </summary>
internal static class AesV3KeyDerivation
{
    /// <summary>Returns the file key when <paramref name="password"/> is the user password, else null.</summary>
    public static byte[]? TryUser(byte[] password, byte[] u, byte[] ue, int revision)
    {
        if (u.Length < 48 || ue.Length < 32) return null;
        var validation = Hash(password, u.AsSpan(32, 8), [], revision);
        if (!validation.AsSpan(0, 32).SequenceEqual(u.AsSpan(0, 32))) return null;
        var intermediate = Hash(password, u.AsSpan(40, 8), [], revision);
        return Unwrap(intermediate, ue);
    }

    /// <summary>Returns the file key when <paramref name="password"/> is the owner password, else null.</summary>
    public static byte[]? TryOwner(byte[] password, byte[] o, byte[] oe, byte[] u, int revision)
    {
        if (o.Length < 48 || oe.Length < 32 || u.Length < 48) return null;
        var u48 = u.AsSpan(0, 48);
        var validation = Hash(password, o.AsSpan(32, 8), u48, revision);
        if (!validation.AsSpan(0, 32).SequenceEqual(o.AsSpan(0, 32))) return null;
        var intermediate = Hash(password, o.AsSpan(40, 8), u48, revision);
        return Unwrap(intermediate, oe);
    }

    /// <summary>Passwords of revisions 5/6 are UTF-8 (after SASLprep, approximated by NFKC), at most 127 bytes.</summary>
    public static byte[] PreparePassword(string password)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(password.Normalize(System.Text.NormalizationForm.FormKC));
        return bytes.Length > 127 ? bytes[..127] : bytes;
    }

    private static byte[] Unwrap(byte[] key, byte[] wrapped)
    {
        using var aes = Aes.Create();
        aes.Key = key.AsSpan(0, 32).ToArray();
        return aes.DecryptCbc(wrapped.AsSpan(0, 32), new byte[16], PaddingMode.None);
    }

    /// <summary>Algorithm 2.B (revision 6) or a single SHA-256 (revision 5).</summary>
    private static byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> userKey, int revision)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(password);
        sha.AppendData(salt);
        sha.AppendData(userKey);
        var k = sha.GetHashAndReset();
        if (revision < 6) return k;

        using var aes = Aes.Create();
        var round = 0;
        while (true)
        {
            var blockLength = password.Length + k.Length + userKey.Length;
            var k1 = new byte[blockLength * 64];
            for (var i = 0; i < 64; i++)
            {
                var dst = k1.AsSpan(i * blockLength);
                password.CopyTo(dst);
                k.CopyTo(dst[password.Length..]);
                userKey.CopyTo(dst[(password.Length + k.Length)..]);
            }

            aes.Key = k.AsSpan(0, 16).ToArray();
            var e = aes.EncryptCbc(k1, k.AsSpan(16, 16), PaddingMode.None);
            var mod = 0;
            for (var i = 0; i < 16; i++) mod += e[i];
            k = (mod % 3) switch
            {
                0 => SHA256.HashData(e),
                1 => SHA384.HashData(e),
                _ => SHA512.HashData(e),
            };
            round++;
            if (round >= 64 && e[^1] <= round - 32) break;
        }

        return k.AsSpan(0, 32).ToArray();
    }
}
