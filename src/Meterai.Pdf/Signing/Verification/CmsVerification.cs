using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// The verdict on one PDF signature's CMS: valid (the document bytes it covers are the ones signed, by the key of
/// the certificate it names), or the <see cref="Failure"/> saying why not. Whether that certificate is trusted is
/// a separate question (<see cref="PdfSignatureCms.CheckChain"/>).
/// </summary>
public sealed record CmsVerification(
    Error? Failure,
    X509Certificate2? SignerCertificate,
    HashAlgorithmName DigestAlgorithm,
    string SignatureAlgorithmOid,
    SignatureTimestamp? Timestamp)
{
    public bool IsValid => Failure is null;

    /// <summary>The signer's subject as a distinguished name, when the certificate was found.</summary>
    public string? SignerSubject => SignerCertificate?.Subject;

    /// <summary>The signer's common name (what a person calls the signer), when present.</summary>
    public string? SignerCommonName => SignerCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}

/// <summary>
/// An RFC 3161 signature timestamp (PAdES B-T) found in the signature's unsigned attributes: the time it attests,
/// whether its imprint is the hash of this signature value, and whether its own signature verifies.
/// </summary>
public sealed record SignatureTimestamp(DateTimeOffset Time, bool ImprintMatches, bool SignatureValid, X509Certificate2? Certificate, string PolicyOid)
{
    /// <summary>The time may be relied on: the token is over this signature and is authentic (trust in its TSA aside).</summary>
    public bool IsValid => ImprintMatches && SignatureValid;
}

/// <summary>Whether a signer certificate chains to one of a given set of trusted roots.</summary>
public sealed record ChainTrust(bool IsTrusted, string Status, IReadOnlyList<X509Certificate2> Path);
