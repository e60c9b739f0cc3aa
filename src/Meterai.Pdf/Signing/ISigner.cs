using System.Security.Cryptography.X509Certificates;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Holds the issuer's private key: a PKCS#12 file here, an HSM or a remote signing service elsewhere.
/// Only a digest travels to it, never the document.
/// </summary>
public interface ISigner
{
    /// <summary>The signing certificate (its public part is all a caller needs).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>The rest of the chain up to the root, without <see cref="Certificate"/>; embedded in the CMS.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Algorithm identifier OID of the signature this signer makes (e.g. 1.2.840.113549.1.1.11, sha256WithRSAEncryption).</summary>
    string SignatureAlgorithmOid { get; }

    /// <summary>Upper bound, in bytes, of a signature value this signer returns (256 for RSA-2048).</summary>
    int MaxSignatureSize { get; }

    /// <summary>Signs a SHA-256 digest (of the DER-encoded CMS signed attributes). RSA: PKCS#1 v1.5; ECDSA: DER-encoded (r, s).</summary>
    byte[] SignDigest(ReadOnlySpan<byte> sha256Digest);
}
