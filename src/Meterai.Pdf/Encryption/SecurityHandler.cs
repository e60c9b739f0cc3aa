using System.Security.Cryptography;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Encryption;

/// <summary>
/// The standard security handler of an encrypted file once a password has been accepted (§7.6): it decrypts the
/// strings and streams the reader needs and encrypts the ones the increment adds, with the file's own key, so the
/// file keeps its one /Encrypt dictionary.
/// </summary>
internal sealed class SecurityHandler
{
    private readonly byte[] _fileKey;

    private SecurityHandler(byte[] fileKey, int version, int revision, int permissions, CryptMethod strings, CryptMethod streams, bool owner, bool encryptMetadata)
    {
        _fileKey = fileKey;
        Version = version;
        Revision = revision;
        Permissions = permissions;
        StringMethod = strings;
        StreamMethod = streams;
        AuthenticatedAsOwner = owner;
        EncryptMetadata = encryptMetadata;
    }

    public int Version { get; }

    public int Revision { get; }

    /// <summary>The /P value (§7.6.3.2, table 22): bit positions counted from 1.</summary>
    public int Permissions { get; }

    public CryptMethod StringMethod { get; }

    public CryptMethod StreamMethod { get; }

    public bool AuthenticatedAsOwner { get; }

    public bool EncryptMetadata { get; }

    /// <summary>
    /// Whether a signature field may be added: bit 6 (add or modify annotations, fill in form fields). Files that
    /// allow forms and annotations but not "other" modification are stamped; an owner password lifts every restriction.
    /// </summary>
    public bool AllowsAnnotations => AuthenticatedAsOwner || (Permissions & (1 << 5)) != 0;

    /// <summary>
    /// Opens the handler described by <paramref name="encrypt"/>: tries <paramref name="password"/> as the user, then the
    /// owner password; without a password, tries the empty user password.
    /// </summary>
    public static SecurityHandler Open(PdfDictionary encrypt, byte[] id0, string? password, Func<PdfObject?, PdfObject?> resolve)
    {
        var filter = resolve(encrypt["Filter"]) as PdfName;
        if (filter?.Value != "Standard")
        {
            throw new PdfFormatException(PdfErrorCodes.UnsupportedEncryption, $"the file is encrypted with the {filter?.Value ?? "unknown"} security handler; only the standard (password) handler is supported");
        }

        var v = (int)Int(resolve(encrypt["V"]), 0);
        var r = (int)Int(resolve(encrypt["R"]), 0);
        var p = unchecked((int)Int(resolve(encrypt["P"]), -4));
        var o = Bytes(resolve(encrypt["O"]));
        var u = Bytes(resolve(encrypt["U"]));
        var encryptMetadata = resolve(encrypt["EncryptMetadata"]) is not PdfBoolean { Value: false };

        CryptMethod strings, streams;
        int keyLength;
        switch (v)
        {
            case 1:
            case 2:
                strings = streams = CryptMethod.Rc4;
                keyLength = v == 1 ? 5 : (int)Math.Clamp(Int(resolve(encrypt["Length"]), 40) / 8, 5, 16);
                break;
            case 4:
                strings = FilterMethod(encrypt, "StrF", resolve);
                streams = FilterMethod(encrypt, "StmF", resolve);
                keyLength = 16;
                if (strings == CryptMethod.Rc4 || streams == CryptMethod.Rc4)
                {
                    keyLength = (int)Math.Clamp(Int(resolve(encrypt["Length"]), 128) / 8, 5, 16);
                }

                break;
            case 5:
                strings = FilterMethod(encrypt, "StrF", resolve);
                streams = FilterMethod(encrypt, "StmF", resolve);
                keyLength = 32;
                break;
            default:
                throw new PdfFormatException(PdfErrorCodes.UnsupportedEncryption, $"encryption version V={v} is not supported");
        }

        if (v < 5 && r is < 2 or > 4 || v == 5 && r is not (5 or 6))
        {
            throw new PdfFormatException(PdfErrorCodes.UnsupportedEncryption, $"security handler revision R={r} is not supported with V={v}");
        }

        if (v == 5)
        {
            var oe = Bytes(resolve(encrypt["OE"]));
            var ue = Bytes(resolve(encrypt["UE"]));
            if (password is not null)
            {
                var pw = AesV3KeyDerivation.PreparePassword(password);
                var key = AesV3KeyDerivation.TryUser(pw, u, ue, r);
                if (key is not null) return new SecurityHandler(key, v, r, p, strings, streams, false, encryptMetadata);
                key = AesV3KeyDerivation.TryOwner(pw, o, oe, u, r);
                if (key is not null) return new SecurityHandler(key, v, r, p, strings, streams, true, encryptMetadata);
            }

            var empty = AesV3KeyDerivation.TryUser([], u, ue, r);
            if (empty is not null) return new SecurityHandler(empty, v, r, p, strings, streams, false, encryptMetadata);
            throw PasswordFailure(password);
        }

        if (o.Length < 32 || u.Length < 32) throw new PdfFormatException(PdfErrorCodes.Malformed, "the encryption dictionary's /O or /U value is too short");
        if (password is not null)
        {
            var pw = Latin1(password);
            var key = LegacyKeyDerivation.FileKey(pw, o, p, id0, r, keyLength, encryptMetadata);
            if (LegacyKeyDerivation.CheckUserKey(key, u, id0, r)) return new SecurityHandler(key, v, r, p, strings, streams, false, encryptMetadata);
            var user = LegacyKeyDerivation.UserPasswordFromOwner(pw, o, r, keyLength);
            key = LegacyKeyDerivation.FileKey(user, o, p, id0, r, keyLength, encryptMetadata);
            if (LegacyKeyDerivation.CheckUserKey(key, u, id0, r)) return new SecurityHandler(key, v, r, p, strings, streams, true, encryptMetadata);
        }

        var emptyKey = LegacyKeyDerivation.FileKey([], o, p, id0, r, keyLength, encryptMetadata);
        if (LegacyKeyDerivation.CheckUserKey(emptyKey, u, id0, r)) return new SecurityHandler(emptyKey, v, r, p, strings, streams, false, encryptMetadata);
        throw PasswordFailure(password);
    }

    private static PdfFormatException PasswordFailure(string? password) => password is null
        ? new PdfFormatException(PdfErrorCodes.PasswordRequired, "the file is protected by a password; give the password to open it")
        : new PdfFormatException(PdfErrorCodes.WrongPassword, "the password is not correct for this file");

    // Revisions 2–4 take passwords in PDFDocEncoding; Latin-1 matches it for every character people type.
    private static byte[] Latin1(string password)
    {
        var bytes = new byte[password.Length];
        for (var i = 0; i < password.Length; i++) bytes[i] = password[i] < 256 ? (byte)password[i] : (byte)'?';
        return bytes;
    }

    private static CryptMethod FilterMethod(PdfDictionary encrypt, string key, Func<PdfObject?, PdfObject?> resolve)
    {
        var name = (resolve(encrypt[key]) as PdfName)?.Value ?? "Identity";
        if (name == "Identity") return CryptMethod.None;
        if (resolve(encrypt["CF"]) is not PdfDictionary cf || resolve(cf[name]) is not PdfDictionary filter)
        {
            throw new PdfFormatException(PdfErrorCodes.UnsupportedEncryption, $"the crypt filter /{name} is not defined");
        }

        return (resolve(filter["CFM"]) as PdfName)?.Value switch
        {
            "None" or null => CryptMethod.None,
            "V2" => CryptMethod.Rc4,
            "AESV2" => CryptMethod.AesV2,
            "AESV3" => CryptMethod.AesV3,
            var other => throw new PdfFormatException(PdfErrorCodes.UnsupportedEncryption, $"the crypt filter method /{other} is not supported"),
        };
    }

    public byte[] DecryptString(ObjectId id, byte[] data) => Decrypt(StringMethod, id, data);

    public byte[] DecryptStream(ObjectId id, byte[] data) => Decrypt(StreamMethod, id, data);

    public byte[] EncryptString(ObjectId id, ReadOnlySpan<byte> data) => Encrypt(StringMethod, id, data);

    public byte[] EncryptStream(ObjectId id, ReadOnlySpan<byte> data) => Encrypt(StreamMethod, id, data);

    public bool EncryptsStrings => StringMethod != CryptMethod.None;

    public bool EncryptsStreams => StreamMethod != CryptMethod.None;

    private byte[] Decrypt(CryptMethod method, ObjectId id, byte[] data)
    {
        switch (method)
        {
            case CryptMethod.None:
                return data;
            case CryptMethod.Rc4:
                return Rc4.Apply(ObjectKey(id, aes: false), data);
            default:
                if (data.Length < 16) return []; // no room for the IV: nothing was encrypted
                using (var aes = Aes.Create())
                {
                    aes.Key = method == CryptMethod.AesV3 ? _fileKey : ObjectKey(id, aes: true);
                    var iv = data.AsSpan(0, 16);
                    var body = data.AsSpan(16);
                    if (body.Length % 16 != 0) body = body[..(body.Length - body.Length % 16)];
                    try
                    {
                        return aes.DecryptCbc(body, iv, PaddingMode.PKCS7);
                    }
                    catch (CryptographicException)
                    {
                        // Bad padding: some writers pad wrongly; keep the bytes rather than failing the file.
                        return aes.DecryptCbc(body, iv, PaddingMode.None);
                    }
                }
        }
    }

    private byte[] Encrypt(CryptMethod method, ObjectId id, ReadOnlySpan<byte> data)
    {
        switch (method)
        {
            case CryptMethod.None:
                return data.ToArray();
            case CryptMethod.Rc4:
                return Rc4.Apply(ObjectKey(id, aes: false), data);
            default:
                using (var aes = Aes.Create())
                {
                    aes.Key = method == CryptMethod.AesV3 ? _fileKey : ObjectKey(id, aes: true);
                    Span<byte> iv = stackalloc byte[16];
                    RandomNumberGenerator.Fill(iv);
                    var cipherLength = aes.GetCiphertextLengthCbc(data.Length, PaddingMode.PKCS7);
                    var result = new byte[16 + cipherLength];
                    iv.CopyTo(result);
                    aes.EncryptCbc(data, iv, result.AsSpan(16), PaddingMode.PKCS7);
                    return result;
                }
        }
    }

    /// <summary>Algorithm 1: the per-object key of RC4 and AESV2.</summary>
    private byte[] ObjectKey(ObjectId id, bool aes)
    {
        Span<byte> input = stackalloc byte[_fileKey.Length + 9];
        _fileKey.CopyTo(input);
        var n = _fileKey.Length;
        input[n] = (byte)id.Number;
        input[n + 1] = (byte)(id.Number >> 8);
        input[n + 2] = (byte)(id.Number >> 16);
        input[n + 3] = (byte)id.Generation;
        input[n + 4] = (byte)(id.Generation >> 8);
        var length = n + 5;
        if (aes)
        {
            "sAlT"u8.CopyTo(input[length..]);
            length += 4;
        }

        var hash = MD5.HashData(input[..length]);
        return hash.AsSpan(0, Math.Min(_fileKey.Length + 5, 16)).ToArray();
    }

    private static long Int(PdfObject? o, long fallback) => o switch
    {
        PdfInteger i => i.Value,
        PdfReal r => (long)r.Value,
        _ => fallback,
    };

    private static byte[] Bytes(PdfObject? o) => o is PdfString s ? s.Bytes : [];
}
