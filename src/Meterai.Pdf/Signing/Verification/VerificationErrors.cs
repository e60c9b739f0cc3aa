using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>Stable failure codes of <see cref="CmsSignatureVerifier"/> and <see cref="PdfSignatureCms.Verify"/>.</summary>
public static class VerificationErrors
{
    /// <summary>The bytes the signature covers have changed since signing (or it was made over something else).</summary>
    public const string DigestMismatch = "digest_mismatch";

    /// <summary>The signature value does not verify with the signer certificate's key.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>A digest or signature algorithm we do not check (MD5, DSA, PSS with unusual parameters …).</summary>
    public const string UnsupportedAlgorithm = "unsupported_algorithm";

    /// <summary>/Contents is not a CMS SignedData we can read.</summary>
    public const string MalformedCms = "malformed_cms";

    /// <summary>The CMS does not carry the certificate its SignerInfo names.</summary>
    public const string SignerCertificateMissing = "signer_certificate_missing";

    /// <summary>The signature's /SubFilter is not a CMS one (adbe.x509.rsa_sha1, or a document timestamp).</summary>
    public const string UnsupportedSubFilter = "unsupported_subfilter";

    internal static Error Of(string code, string message) => new(code, message);
}
