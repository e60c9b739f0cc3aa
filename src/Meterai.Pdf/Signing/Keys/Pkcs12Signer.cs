using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// An <see cref="ISigner"/> over a key held in this process, loaded from a PKCS#12 (.p12/.pfx) file: RSA (PKCS#1
/// v1.5, SHA-256) or ECDSA (SHA-256). <see cref="SignDigest"/> is safe to call from many threads at once.
/// </summary>
/// <remarks>
/// Thread safety: on Linux the .NET key objects wrap an OpenSSL 3 EVP_PKEY and every SignHash creates its own
/// EVP_PKEY_CTX; OpenSSL 3 allows one EVP_PKEY to sign from several threads at once (its RSA blinding state is
/// locked internally). Measured on the 2-core machine: one shared key signed as fast as one key per thread (both
/// about 2x one thread), and every value made under contention verified; Pkcs12SignerTests keeps checking the
/// latter. So the key is shared rather than copied per thread.
/// </remarks>
public sealed class Pkcs12Signer : ISigner, IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private Pkcs12Signer(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        _rsa = certificate.GetRSAPrivateKey();
        _ecdsa = _rsa is null ? certificate.GetECDsaPrivateKey() : null;
        if (_rsa is null && _ecdsa is null) throw new ArgumentException($"{certificate.Subject} has no RSA or ECDSA private key.", nameof(certificate));
        Certificate = certificate;
        Chain = chain;
        SignatureAlgorithmOid = _rsa is not null ? Oids.Sha256WithRsa : Oids.EcdsaWithSha256;
        MaxSignatureSize = _rsa is not null ? (_rsa.KeySize + 7) / 8 : MaxEcdsaSize(_ecdsa!.KeySize);
    }

    public X509Certificate2 Certificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string SignatureAlgorithmOid { get; }

    public int MaxSignatureSize { get; }

    /// <summary>Opens a PKCS#12 file: the certificate with a private key signs, the other certificates are its chain.</summary>
    public static Result<Pkcs12Signer> Load(string path, string password)
    {
        if (!File.Exists(path)) return Result<Pkcs12Signer>.Fail(SigningErrors.Pkcs12NotFoundCode, $"no PKCS#12 file at {path}.");
        X509Certificate2Collection collection;
        try
        {
            // EphemeralKeySet: the key lives in this process only, nothing is written to a user key store.
            collection = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            return Result<Pkcs12Signer>.Fail(SigningErrors.Pkcs12UnreadableCode, $"{path} cannot be opened (wrong password, or not PKCS#12): {e.Message}");
        }

        var signer = collection.FirstOrDefault(c => c.HasPrivateKey && (c.GetRSAPublicKey() is not null || c.GetECDsaPublicKey() is not null));
        if (signer is null) return Result<Pkcs12Signer>.Fail(SigningErrors.Pkcs12NoSigningKeyCode, $"{path} holds no certificate with an RSA or ECDSA private key.");
        return FromCertificate(signer, OrderChain(signer, collection.Where(c => !ReferenceEquals(c, signer))));
    }

    /// <summary>A signer over a certificate that already carries its private key.</summary>
    public static Pkcs12Signer FromCertificate(X509Certificate2 certificateWithKey, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        if (!certificateWithKey.HasPrivateKey) throw new ArgumentException($"{certificateWithKey.Subject} has no private key.", nameof(certificateWithKey));
        return new Pkcs12Signer(certificateWithKey, chain);
    }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != SHA256.HashSizeInBytes)
            throw new ArgumentException($"a SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        return _rsa is not null
            ? _rsa.SignHash(sha256Digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ecdsa!.SignHash(sha256Digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>The other certificates ordered from the signer's issuer upwards; certificates off the path are dropped.</summary>
    internal static IReadOnlyList<X509Certificate2> OrderChain(X509Certificate2 leaf, IEnumerable<X509Certificate2> others)
    {
        var pool = others.ToList();
        var chain = new List<X509Certificate2>();
        var current = leaf;
        while (current.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) is false)
        {
            var issuer = pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null) break;
            chain.Add(issuer);
            pool.Remove(issuer);
            current = issuer;
        }

        return chain;
    }

    private static int MaxEcdsaSize(int keySizeBits)
    {
        var integer = Der.ElementSize((keySizeBits + 7) / 8 + 1);
        return Der.ElementSize(2 * integer);
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }
}
