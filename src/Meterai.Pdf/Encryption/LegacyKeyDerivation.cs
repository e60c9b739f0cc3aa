using System.Security.Cryptography;

namespace Meterai.Pdf.Encryption;

/// <summary>
/// Password checks and file keys of the standard security handler, revisions 2–4 (§7.6.3.3, algorithms 2, 6 and 7):
/// MD5 and RC4 based.
/// </summary>
internal static class LegacyKeyDerivation
{
    private static readonly byte[] Padding =
    [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ];

    /// <summary>Algorithm 2: the file key computed from a user password.</summary>
    public static byte[] FileKey(ReadOnlySpan<byte> password, byte[] o, int p, byte[] id0, int revision, int keyLength, bool encryptMetadata)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(Pad(password));
        md5.AppendData(o.AsSpan(0, Math.Min(32, o.Length)));
        Span<byte> pBytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(pBytes, p);
        md5.AppendData(pBytes);
        md5.AppendData(id0);
        if (revision >= 4 && !encryptMetadata) md5.AppendData([0xFF, 0xFF, 0xFF, 0xFF]);
        var hash = md5.GetHashAndReset();
        if (revision >= 3)
        {
            for (var i = 0; i < 50; i++) hash = MD5.HashData(hash.AsSpan(0, keyLength));
        }

        return hash.AsSpan(0, keyLength).ToArray();
    }

    /// <summary>Algorithms 4/5: the /U value a file key produces; the password is right when it matches.</summary>
    public static bool CheckUserKey(byte[] key, byte[] u, byte[] id0, int revision)
    {
        if (revision == 2)
        {
            var expected = Rc4.Apply(key, Padding);
            return u.Length >= 32 && expected.AsSpan().SequenceEqual(u.AsSpan(0, 32));
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(Padding);
        md5.AppendData(id0);
        var x = Rc4.Apply(key, md5.GetHashAndReset());
        var k = new byte[key.Length];
        for (var i = 1; i <= 19; i++)
        {
            for (var j = 0; j < key.Length; j++) k[j] = (byte)(key[j] ^ i);
            x = Rc4.Apply(k, x);
        }

        // Only the first 16 bytes are significant (the rest is arbitrary padding).
        return u.Length >= 16 && x.AsSpan(0, 16).SequenceEqual(u.AsSpan(0, 16));
    }

    /// <summary>Algorithm 7: recovers the user password from the owner password, to authenticate with it.</summary>
    public static byte[] UserPasswordFromOwner(ReadOnlySpan<byte> ownerPassword, byte[] o, int revision, int keyLength)
    {
        var hash = MD5.HashData(Pad(ownerPassword));
        if (revision >= 3)
        {
            for (var i = 0; i < 50; i++) hash = MD5.HashData(hash);
        }

        var key = hash.AsSpan(0, keyLength).ToArray();
        var data = o.AsSpan(0, Math.Min(32, o.Length)).ToArray();
        if (revision == 2) return Rc4.Apply(key, data);
        var k = new byte[keyLength];
        for (var i = 19; i >= 0; i--)
        {
            for (var j = 0; j < keyLength; j++) k[j] = (byte)(key[j] ^ i);
            data = Rc4.Apply(k, data);
        }

        return data;
    }

    private static byte[] Pad(ReadOnlySpan<byte> password)
    {
        var padded = new byte[32];
        var n = Math.Min(32, password.Length);
        password[..n].CopyTo(padded);
        Padding.AsSpan(0, 32 - n).CopyTo(padded.AsSpan(n));
        return padded;
    }
}
