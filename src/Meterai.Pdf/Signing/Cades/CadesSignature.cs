using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Builds the CMS SignedData of a PAdES baseline signature (ETSI EN 319 142-1, CAdES detached) in two steps:
/// <see cref="Prepare"/> turns the document's SHA-256 into the digest the key signs, <see cref="Complete"/> wraps
/// the signature value (and, for B-T, a signature timestamp token) into the DER that goes in <c>/Contents</c>.
/// One instance per signer: its certificate encodings are computed once and reused for every stamp; it is immutable
/// and safe to use from any number of threads.
/// </summary>
/// <remarks>
/// Why not <see cref="System.Security.Cryptography.Pkcs.SignedCms"/>: it computes the message digest itself from a
/// <see cref="System.Security.Cryptography.Pkcs.ContentInfo"/> holding the whole content in memory (a PDF can be tens
/// of megabytes, and the engine reads the file once, streaming), it cannot take a digest computed elsewhere, and it
/// wants the private key in-process, so the signature cannot be made by an HSM or a remote signer from a hash alone.
/// The structure is small and fixed, so it is written here directly as DER.
/// Signed attributes: content-type (id-data), message-digest, signing-certificate-v2. No signing-time: PAdES
/// baseline forbids claiming it in the CMS (the time is in the PDF's /M, and the trusted time is the timestamp).
/// </remarks>
public sealed class CadesSignature
{
    private const int DocumentDigestLength = 32;

    private static readonly byte[] Sha256Identifier = SignatureAlgorithm.Identifier(Oids.Sha256, withNull: false);
    private static readonly byte[] DigestAlgorithmsSet = Der.Wrap(Der.Set, Sha256Identifier);
    private static readonly byte[] DataEncapsulatedContentInfo = EncapsulatedData();
    private static readonly byte[] SignedDataOid = Der.ObjectIdentifier(Oids.SignedData);
    private static readonly byte[] TimestampTokenOid = Der.ObjectIdentifier(Oids.SignatureTimeStampToken);
    private static readonly byte[] Version1 = [Der.Integer, 1, 1];

    private readonly SignatureAlgorithm _algorithm;
    private readonly byte[] _attributesTemplate;
    private readonly int _digestOffset;
    private readonly byte[] _certificates;
    private readonly byte[] _signerIdentifier;

    /// <param name="signer">The signing certificate (its public part; the key stays with the <see cref="ISigner"/>).</param>
    /// <param name="chain">The rest of the chain, embedded so a verifier can build the path without fetching anything.</param>
    /// <param name="signatureAlgorithmOid">sha256WithRSAEncryption (1.2.840.113549.1.1.11) or ecdsa-with-SHA256 (1.2.840.10045.4.3.2).</param>
    public CadesSignature(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain, string signatureAlgorithmOid)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(chain);
        SignerCertificate = signer;
        Chain = chain;
        _algorithm = SignatureAlgorithm.For(signer, signatureAlgorithmOid);
        (_attributesTemplate, _digestOffset) = SignedAttributesTemplate(signer);
        _certificates = CertificatesField(signer, chain);
        _signerIdentifier = EssCertIdV2.EncodeIssuerAndSerialNumber(signer);
    }

    /// <summary>The profile for <paramref name="signer"/>'s certificate, chain and algorithm.</summary>
    public static CadesSignature For(ISigner signer) => new(signer.Certificate, signer.Chain, signer.SignatureAlgorithmOid);

    public X509Certificate2 SignerCertificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public string SignatureAlgorithmOid => _algorithm.Oid;

    /// <summary>Largest signature value the signer's key gives (256 for RSA-2048, 72 for ECDSA P-256).</summary>
    public int MaxSignatureSize => _algorithm.MaxSignatureSize;

    /// <summary>Step one: the signed attributes over <paramref name="documentDigestSha256"/> (SHA-256 of the ByteRange) and the digest to sign.</summary>
    public PreparedSignature Prepare(ReadOnlySpan<byte> documentDigestSha256)
    {
        if (documentDigestSha256.Length != DocumentDigestLength)
            throw new ArgumentException($"a SHA-256 digest is {DocumentDigestLength} bytes, not {documentDigestSha256.Length}.", nameof(documentDigestSha256));

        var attributes = _attributesTemplate.AsSpan().ToArray();
        documentDigestSha256.CopyTo(attributes.AsSpan(_digestOffset));
        var digestToSign = SHA256.HashData(attributes);
        return new PreparedSignature(this, attributes, digestToSign);
    }

    /// <summary>
    /// Step two: the DER ContentInfo/SignedData. The signature value is checked against the signer certificate's
    /// key first, so a faulty HSM or remote signer can never put a broken seal on a document.
    /// </summary>
    /// <param name="timestampToken">A DER TimeStampToken over SHA-256(<paramref name="signatureValue"/>) for PAdES B-T; empty for B-B.</param>
    public Result<byte[]> Complete(PreparedSignature prepared, ReadOnlySpan<byte> signatureValue, ReadOnlySpan<byte> timestampToken = default)
    {
        if (Check(prepared, signatureValue, timestampToken) is { } error) return error;
        var sizes = new Sizes(this, prepared.SignedAttributesSpan.Length, signatureValue.Length, timestampToken.Length);
        var output = new byte[sizes.ContentInfo];
        Write(prepared, signatureValue, timestampToken, sizes, output);
        return output;
    }

    /// <summary>
    /// <see cref="Complete"/> into an array rented from <see cref="ArrayPool{T}.Shared"/>, which the caller returns: a
    /// stamp copies the CMS into /Contents as hex at once, so a fresh array of a few KiB per stamp bought nothing.
    /// </summary>
    internal Result<(byte[] Rented, int Length)> CompleteRented(PreparedSignature prepared, ReadOnlySpan<byte> signatureValue, ReadOnlySpan<byte> timestampToken)
    {
        if (Check(prepared, signatureValue, timestampToken) is { } error) return error;
        var sizes = new Sizes(this, prepared.SignedAttributesSpan.Length, signatureValue.Length, timestampToken.Length);
        var rented = ArrayPool<byte>.Shared.Rent(sizes.ContentInfo);
        try
        {
            Write(prepared, signatureValue, timestampToken, sizes, rented.AsSpan(0, sizes.ContentInfo));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }

        return (rented, sizes.ContentInfo);
    }

    private Error? Check(PreparedSignature prepared, ReadOnlySpan<byte> signatureValue, ReadOnlySpan<byte> timestampToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!ReferenceEquals(prepared.Profile, this))
            throw new ArgumentException("this signature was prepared by another signer profile.", nameof(prepared));
        if (signatureValue.IsEmpty || signatureValue.Length > MaxSignatureSize || !_algorithm.Verifies(prepared.DigestToSignSpan, signatureValue))
            return SigningErrors.SignatureInvalid("the signer returned a value that does not verify with its certificate's key.");
        if (!timestampToken.IsEmpty && !IsSingleSequence(timestampToken))
            return SigningErrors.TimestampInvalid("the timestamp token is not one DER/BER SEQUENCE.");
        return null;
    }

    private void Write(PreparedSignature prepared, ReadOnlySpan<byte> signatureValue, ReadOnlySpan<byte> timestampToken, Sizes sizes, Span<byte> span)
    {
        var attributes = prepared.SignedAttributesSpan;

        var at = Der.WriteHeader(span, 0, Der.Sequence, sizes.ContentInfoContent);
        at = Der.Write(span, at, SignedDataOid);
        at = Der.WriteHeader(span, at, Der.ContextConstructed0, sizes.SignedData);
        at = Der.WriteHeader(span, at, Der.Sequence, sizes.SignedDataContent);
        at = Der.Write(span, at, Version1);
        at = Der.Write(span, at, DigestAlgorithmsSet);
        at = Der.Write(span, at, DataEncapsulatedContentInfo);
        at = Der.Write(span, at, _certificates);
        at = Der.WriteHeader(span, at, Der.Set, sizes.SignerInfo);
        at = Der.WriteHeader(span, at, Der.Sequence, sizes.SignerInfoContent);
        at = Der.Write(span, at, Version1);
        at = Der.Write(span, at, _signerIdentifier);
        at = Der.Write(span, at, Sha256Identifier);
        // [0] IMPLICIT SET OF Attribute: the same bytes as the hashed SET, with the context tag in place of 0x31.
        span[at] = Der.ContextConstructed0;
        attributes[1..].CopyTo(span[(at + 1)..]);
        at += attributes.Length;
        at = Der.Write(span, at, _algorithm.AlgorithmIdentifier);
        at = Der.WriteHeader(span, at, Der.OctetString, signatureValue.Length);
        at = Der.Write(span, at, signatureValue);
        if (!timestampToken.IsEmpty)
        {
            at = Der.WriteHeader(span, at, Der.ContextConstructed1, sizes.TimestampAttribute);
            at = Der.WriteHeader(span, at, Der.Sequence, sizes.TimestampAttributeContent);
            at = Der.Write(span, at, TimestampTokenOid);
            at = Der.WriteHeader(span, at, Der.Set, timestampToken.Length);
            at = Der.Write(span, at, timestampToken);
        }

        if (at != span.Length) throw new InvalidOperationException($"CMS size computed as {span.Length} but {at} bytes written.");
    }

    /// <summary>
    /// Exact size of the largest CMS <see cref="Complete"/> can return for this signer when the timestamp token is
    /// at most <paramref name="maxTimestampTokenSize"/> bytes (0 for PAdES B-B): the size of <c>/Contents</c> to
    /// reserve, in bytes (the PDF holds it as hex, twice as many characters).
    /// </summary>
    public int MaxEncodedSize(int maxTimestampTokenSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTimestampTokenSize);
        return new Sizes(this, _attributesTemplate.Length, MaxSignatureSize, maxTimestampTokenSize).ContentInfo;
    }

    /// <summary>Lengths of every nested element, innermost first, for one signature and token size.</summary>
    private readonly struct Sizes
    {
        public readonly int TimestampAttributeContent;
        public readonly int TimestampAttribute;
        public readonly int SignerInfoContent;
        public readonly int SignerInfo;
        public readonly int SignedDataContent;
        public readonly int SignedData;
        public readonly int ContentInfoContent;
        public readonly int ContentInfo;

        public Sizes(CadesSignature profile, int attributesLength, int signatureLength, int tokenLength)
        {
            TimestampAttributeContent = tokenLength == 0 ? 0 : TimestampTokenOid.Length + Der.ElementSize(tokenLength);
            TimestampAttribute = tokenLength == 0 ? 0 : Der.ElementSize(TimestampAttributeContent);
            SignerInfoContent = Version1.Length + profile._signerIdentifier.Length + Sha256Identifier.Length + attributesLength
                                + profile._algorithm.AlgorithmIdentifier.Length + Der.ElementSize(signatureLength)
                                + (tokenLength == 0 ? 0 : Der.ElementSize(TimestampAttribute));
            SignerInfo = Der.ElementSize(SignerInfoContent);
            SignedDataContent = Version1.Length + DigestAlgorithmsSet.Length + DataEncapsulatedContentInfo.Length
                                + profile._certificates.Length + Der.ElementSize(SignerInfo);
            SignedData = Der.ElementSize(SignedDataContent);
            ContentInfoContent = SignedDataOid.Length + Der.ElementSize(SignedData);
            ContentInfo = Der.ElementSize(ContentInfoContent);
        }
    }

    /// <summary>
    /// The DER SET OF the three signed attributes with a zeroed message digest, and where the digest goes. DER sorts
    /// the elements of a SET OF by their encodings; only the digest varies and the sizes do not, so the order is fixed.
    /// </summary>
    private static (byte[] Template, int DigestOffset) SignedAttributesTemplate(X509Certificate2 signer)
    {
        var contentType = Attribute(Oids.ContentType, Der.ObjectIdentifier(Oids.Data));
        var messageDigest = Attribute(Oids.MessageDigest, Der.Wrap(Der.OctetString, new byte[DocumentDigestLength]));
        var signingCertificate = Attribute(Oids.SigningCertificateV2, EssCertIdV2.EncodeSigningCertificateV2(signer));
        var sorted = new[] { contentType, messageDigest, signingCertificate };
        Array.Sort(sorted, (a, b) => a.AsSpan().SequenceCompareTo(b));

        var content = sorted.SelectMany(a => a).ToArray();
        var template = Der.Wrap(Der.Set, content);
        var headerLength = template.Length - content.Length;
        var offset = headerLength;
        foreach (var attribute in sorted)
        {
            if (ReferenceEquals(attribute, messageDigest)) return (template, offset + attribute.Length - DocumentDigestLength);
            offset += attribute.Length;
        }

        throw new InvalidOperationException("unreachable: the message digest attribute is in the set.");
    }

    /// <summary><c>[0] IMPLICIT SET OF Certificate</c>: the signer first in meaning, DER-sorted in encoding.</summary>
    private static byte[] CertificatesField(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteEncodedValue(signer.RawData);
            foreach (var certificate in chain)
            {
                if (!certificate.RawDataMemory.Span.SequenceEqual(signer.RawData)) writer.WriteEncodedValue(certificate.RawData);
            }
        }

        return writer.Encode();
    }

    private static byte[] Attribute(string oid, byte[] value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf()) writer.WriteEncodedValue(value);
        }

        return writer.Encode();
    }

    private static byte[] EncapsulatedData()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) writer.WriteObjectIdentifier(Oids.Data);
        return writer.Encode();
    }

    private static bool IsSingleSequence(ReadOnlySpan<byte> encoded) =>
        AsnDecoder.TryReadEncodedValue(encoded, AsnEncodingRules.BER, out var tag, out _, out _, out var consumed)
        && consumed == encoded.Length
        && tag == Asn1Tag.Sequence;
}
