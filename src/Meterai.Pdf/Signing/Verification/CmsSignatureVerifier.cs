using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Reads the CMS of a PDF signature (<c>/Contents</c>) so that it can be checked without ever holding the document:
/// <see cref="Parse"/> says which hash the ByteRange must be streamed through
/// (<see cref="PdfSignatureCms.ByteRangeDigestAlgorithm"/>), and <see cref="PdfSignatureCms.Verify"/> takes that digest.
/// Handles ETSI.CAdES.detached and adbe.pkcs7.detached (with or without signed attributes) and adbe.pkcs7.sha1
/// (the SHA-1 of the ByteRange encapsulated as the signed content). BER is accepted, as old signers wrote it.
/// </summary>
public static class CmsSignatureVerifier
{
    /// <param name="contents">The decoded bytes of <c>/Contents</c>; zero padding after the CMS is allowed.</param>
    /// <param name="subFilter">The signature dictionary's /SubFilter without the slash, when known.</param>
    public static Result<PdfSignatureCms> Parse(ReadOnlyMemory<byte> contents, string? subFilter = null)
    {
        if (subFilter is "adbe.x509.rsa_sha1" or "ETSI.RFC3161")
            return Fail(VerificationErrors.UnsupportedSubFilter, $"/SubFilter /{subFilter} is not a CMS signature checked here.");
        try
        {
            return ParseSignedData(contents, subFilter);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return Fail(VerificationErrors.MalformedCms, $"/Contents is not a readable CMS SignedData: {e.Message}");
        }
    }

    private static Result<PdfSignatureCms> ParseSignedData(ReadOnlyMemory<byte> contents, string? subFilter)
    {
        AsnDecoder.ReadEncodedValue(contents.Span, AsnEncodingRules.BER, out _, out _, out var cmsLength);
        if (contents.Span[cmsLength..].ContainsAnyExcept((byte)0))
            return Fail(VerificationErrors.MalformedCms, "/Contents has bytes other than zero padding after the CMS.");

        var contentInfo = new AsnReader(contents[..cmsLength], AsnEncodingRules.BER).ReadSequence();
        if (contentInfo.ReadObjectIdentifier() != Oids.SignedData)
            return Fail(VerificationErrors.MalformedCms, "the CMS content type is not signedData.");
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        signedData.ReadInteger();
        var digestAlgorithms = new List<string>();
        var digestSet = signedData.ReadSetOf(skipSortOrderValidation: true);
        while (digestSet.HasData) digestAlgorithms.Add(digestSet.ReadSequence().ReadObjectIdentifier());
        var encapsulated = signedData.ReadSequence();
        encapsulated.ReadObjectIdentifier();
        byte[]? encapsulatedContent = null;
        if (encapsulated.HasData)
            encapsulatedContent = encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadOctetString();

        var certificates = new List<X509Certificate2>();
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var set = signedData.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0));
            while (set.HasData)
            {
                var isCertificate = set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
                var encoded = set.ReadEncodedValue();
                // Attribute certificates and other choices do not identify a signer: skipped.
                if (isCertificate) certificates.Add(X509CertificateLoader.LoadCertificate(encoded.Span));
            }
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            signedData.ReadEncodedValue();
        var signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
        if (!signerInfos.HasData) return Fail(VerificationErrors.MalformedCms, "the CMS has no SignerInfo.");

        var signer = SignerInfo.Read(signerInfos.ReadSequence());
        var digestAlgorithm = Algorithms.Digest(signer.DigestAlgorithmOid);
        if (digestAlgorithm is null)
            return Fail(VerificationErrors.UnsupportedAlgorithm, $"digest algorithm {signer.DigestAlgorithmOid} is not supported (SHA-1, SHA-256, SHA-384, SHA-512).");
        if (subFilter == "adbe.pkcs7.sha1" && encapsulatedContent is null)
            return Fail(VerificationErrors.MalformedCms, "adbe.pkcs7.sha1 needs the SHA-1 of the ByteRange as encapsulated content.");

        return new PdfSignatureCms(signer, digestAlgorithm.Value, digestAlgorithms.Select(Algorithms.Digest).ToList(), encapsulatedContent, certificates);
    }

    private static Result<PdfSignatureCms> Fail(string code, string message) => Result<PdfSignatureCms>.Fail(code, message);
}
