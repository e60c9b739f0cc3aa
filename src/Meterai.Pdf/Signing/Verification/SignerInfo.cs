using System.Formats.Asn1;
using System.Numerics;

namespace Meterai.Pdf.Signing;

/// <summary>The fields of one CMS SignerInfo (RFC 5652 5.3) that a verifier needs, read leniently (BER).</summary>
internal sealed class SignerInfo
{
    public byte[]? IssuerName { get; private init; }
    public BigInteger SerialNumber { get; private init; }
    public byte[]? SubjectKeyIdentifier { get; private init; }
    public required string DigestAlgorithmOid { get; init; }

    /// <summary>The signed attributes as hashed: the [0] IMPLICIT encoding with the universal SET tag in its place.</summary>
    public byte[]? SignedAttributes { get; private init; }

    public byte[]? MessageDigest { get; private init; }
    public required string SignatureAlgorithmOid { get; init; }
    public ReadOnlyMemory<byte>? SignatureAlgorithmParameters { get; private init; }
    public required byte[] Signature { get; init; }
    public ReadOnlyMemory<byte>? TimestampToken { get; private init; }

    public static SignerInfo Read(AsnReader signerInfo)
    {
        signerInfo.ReadInteger();
        byte[]? issuer = null, keyId = null;
        var serial = BigInteger.Zero;
        if (signerInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var sid = signerInfo.ReadSequence();
            issuer = sid.ReadEncodedValue().ToArray();
            serial = sid.ReadInteger();
        }
        else
        {
            keyId = signerInfo.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
        }

        var digestAlgorithm = signerInfo.ReadSequence().ReadObjectIdentifier();
        byte[]? signedAttributes = null, messageDigest = null;
        if (signerInfo.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            signedAttributes = signerInfo.ReadEncodedValue().ToArray();
            signedAttributes[0] = 0x31;
            messageDigest = Attribute(new AsnReader(signedAttributes, AsnEncodingRules.BER), Oids.MessageDigest) is { } md
                ? new AsnReader(md, AsnEncodingRules.BER).ReadOctetString()
                : throw new AsnContentException("signed attributes without a message-digest attribute.");
        }

        var signatureAlgorithm = signerInfo.ReadSequence();
        var signatureOid = signatureAlgorithm.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? parameters = signatureAlgorithm.HasData ? signatureAlgorithm.ReadEncodedValue() : null;
        var signature = signerInfo.ReadOctetString();
        ReadOnlyMemory<byte>? timestamp = null;
        if (signerInfo.HasData && signerInfo.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            var unsigned = signerInfo.ReadEncodedValue().ToArray();
            unsigned[0] = 0x31;
            timestamp = Attribute(new AsnReader(unsigned, AsnEncodingRules.BER), Oids.SignatureTimeStampToken);
        }

        return new SignerInfo
        {
            IssuerName = issuer,
            SerialNumber = serial,
            SubjectKeyIdentifier = keyId,
            DigestAlgorithmOid = digestAlgorithm,
            SignedAttributes = signedAttributes,
            MessageDigest = messageDigest,
            SignatureAlgorithmOid = signatureOid,
            SignatureAlgorithmParameters = parameters,
            Signature = signature,
            TimestampToken = timestamp,
        };
    }

    /// <summary>The first value of the attribute <paramref name="oid"/> in a SET OF Attribute, or null.</summary>
    private static ReadOnlyMemory<byte>? Attribute(AsnReader set, string oid)
    {
        var attributes = set.ReadSetOf(skipSortOrderValidation: true);
        while (attributes.HasData)
        {
            var attribute = attributes.ReadSequence();
            if (attribute.ReadObjectIdentifier() != oid) continue;
            var values = attribute.ReadSetOf(skipSortOrderValidation: true);
            return values.ReadEncodedValue();
        }

        return null;
    }
}
