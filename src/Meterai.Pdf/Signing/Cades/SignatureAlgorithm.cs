using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Meterai.Pdf.Signing;

/// <summary>
/// The signature algorithms our own signers may use (SHA-256 with RSA PKCS#1 v1.5 or with ECDSA), their
/// AlgorithmIdentifier DER, the largest signature value each gives, and a check of a value against the certificate.
/// </summary>
internal sealed class SignatureAlgorithm : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private SignatureAlgorithm(string oid, byte[] algorithmIdentifier, int maxSignatureSize, RSA? rsa, ECDsa? ecdsa)
    {
        Oid = oid;
        AlgorithmIdentifier = algorithmIdentifier;
        MaxSignatureSize = maxSignatureSize;
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    public string Oid { get; }

    public byte[] AlgorithmIdentifier { get; }

    public int MaxSignatureSize { get; }

    public static SignatureAlgorithm For(X509Certificate2 certificate, string signatureAlgorithmOid)
    {
        switch (signatureAlgorithmOid)
        {
            case Oids.Sha256WithRsa:
            {
                var rsa = certificate.GetRSAPublicKey()
                          ?? throw new ArgumentException($"{signatureAlgorithmOid} needs an RSA certificate; {certificate.Subject} is not one.");
                // RFC 4055: the PKCS#1 v1.5 identifiers carry an explicit NULL parameter.
                return new SignatureAlgorithm(signatureAlgorithmOid, Identifier(signatureAlgorithmOid, withNull: true), (rsa.KeySize + 7) / 8, rsa, null);
            }
            case Oids.EcdsaWithSha256:
            {
                var ecdsa = certificate.GetECDsaPublicKey()
                            ?? throw new ArgumentException($"{signatureAlgorithmOid} needs an EC certificate; {certificate.Subject} is not one.");
                // RFC 5758: the ECDSA identifiers have absent parameters.
                return new SignatureAlgorithm(signatureAlgorithmOid, Identifier(signatureAlgorithmOid, withNull: false), MaxEcdsaDerSize(ecdsa.KeySize), null, ecdsa);
            }
            default:
                throw new ArgumentException($"signature algorithm {signatureAlgorithmOid} is not supported for signing (sha256WithRSAEncryption or ecdsa-with-SHA256).");
        }
    }

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="sha256Digest"/> under the certificate's key.</summary>
    public bool Verifies(ReadOnlySpan<byte> sha256Digest, ReadOnlySpan<byte> signature) =>
        _rsa is not null
            ? _rsa.VerifyHash(sha256Digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ecdsa!.VerifyHash(sha256Digest, signature, DSASignatureFormat.Rfc3279DerSequence);

    public static byte[] Identifier(string oid, bool withNull)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNull) writer.WriteNull();
        }

        return writer.Encode();
    }

    /// <summary>Largest DER <c>SEQUENCE { r INTEGER, s INTEGER }</c> for a curve of <paramref name="keySizeBits"/>: each integer may need a leading zero.</summary>
    private static int MaxEcdsaDerSize(int keySizeBits)
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
