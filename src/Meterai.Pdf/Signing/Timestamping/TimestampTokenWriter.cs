using System.Buffers;
using System.Buffers.Text;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Writes an RFC 3161 TimeStampToken signed with an ECDSA key directly as DER, the same bytes SignedCms writes for
/// it: ContentInfo / SignedData version 3, SHA-256, the TSTInfo as encapsulated content, the TSA certificate when
/// asked for, and one SignerInfo (issuer and serial, signed attributes content-type, message-digest and
/// signing-certificate-v2, ecdsa-with-SHA256). SignedCms allocated about 40 KiB a token (it encodes, decodes and
/// encodes the whole structure again, and parses every OID from its text), a fifth of all a stamp allocated; this
/// computes every part that does not change once per authority and writes the rest into arrays of the right size.
/// </summary>
internal sealed class TimestampTokenWriter
{
    private static readonly byte[] Sha256Identifier = AlgorithmIdentifier(Oids.Sha256, withNull: false);
    private static readonly byte[] EcdsaWithSha256Identifier = AlgorithmIdentifier(Oids.EcdsaWithSha256, withNull: false);
    private static readonly byte[] SignedDataOid = Der.ObjectIdentifier(Oids.SignedData);
    private static readonly byte[] TstInfoOid = Der.ObjectIdentifier(Oids.TstInfo);
    private static readonly byte[] Version1 = [Der.Integer, 1, 1];
    private static readonly byte[] Version3 = [Der.Integer, 1, 3];

    // Accuracy ::= SEQUENCE { seconds INTEGER 1 }: the one accuracy this authority claims.
    private static readonly byte[] OneSecondAccuracy = [Der.Sequence, 3, Der.Integer, 1, 1];

    private readonly ECDsa _key;
    private readonly byte[] _policy;
    private readonly byte[] _certificates;
    private readonly byte[] _signerIdentifier;
    private readonly byte[] _attributesTemplate;
    private readonly int _digestOffset;

    public TimestampTokenWriter(X509Certificate2 certificate, ECDsa key, string policyOid, byte[] signingCertificateV2)
    {
        _key = key;
        _policy = Der.ObjectIdentifier(policyOid);
        _certificates = Der.Wrap(Der.ContextConstructed0, certificate.RawData);
        _signerIdentifier = EssCertIdV2.EncodeIssuerAndSerialNumber(certificate);
        (_attributesTemplate, _digestOffset) = SignedAttributesTemplate(signingCertificateV2);
    }

    /// <summary>The DER TimeStampToken. <paramref name="time"/> is already cut to the millisecond.</summary>
    public byte[] Write(string hashAlgorithmOid, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> serial, DateTimeOffset time, ReadOnlySpan<byte> nonce, bool includeCertificate)
    {
        var tstInfo = TstInfo(hashAlgorithmOid, hash, serial, time, nonce);

        // The signed attributes: the template with SHA-256 of the TSTInfo in the message-digest slot. The signature is
        // over their DER as a SET; in the SignerInfo the same bytes carry the [0] tag instead.
        var attributes = _attributesTemplate.AsSpan().ToArray();
        SHA256.HashData(tstInfo, attributes.AsSpan(_digestOffset, SHA256.HashSizeInBytes));
        var signature = _key.SignData(attributes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var signerInfoContent = Version1.Length + _signerIdentifier.Length + Sha256Identifier.Length + attributes.Length + EcdsaWithSha256Identifier.Length
            + Der.ElementSize(signature.Length);
        var signerInfos = Der.ElementSize(Der.ElementSize(signerInfoContent));
        var encapsulatedContent = TstInfoOid.Length + Der.ElementSize(Der.ElementSize(tstInfo.Length));
        var signedDataContent = Version3.Length + Der.ElementSize(Sha256Identifier.Length) + Der.ElementSize(encapsulatedContent)
            + (includeCertificate ? _certificates.Length : 0) + signerInfos;
        var signedData = Der.ElementSize(signedDataContent);
        var contentInfoContent = SignedDataOid.Length + Der.ElementSize(signedData);

        var output = new byte[Der.ElementSize(contentInfoContent)];
        var span = output.AsSpan();
        var at = Der.WriteHeader(span, 0, Der.Sequence, contentInfoContent);
        at = Der.Write(span, at, SignedDataOid);
        at = Der.WriteHeader(span, at, Der.ContextConstructed0, signedData);
        at = Der.WriteHeader(span, at, Der.Sequence, signedDataContent);
        at = Der.Write(span, at, Version3);
        at = Der.WriteHeader(span, at, Der.Set, Sha256Identifier.Length);
        at = Der.Write(span, at, Sha256Identifier);
        at = Der.WriteHeader(span, at, Der.Sequence, encapsulatedContent);
        at = Der.Write(span, at, TstInfoOid);
        at = Der.WriteHeader(span, at, Der.ContextConstructed0, Der.ElementSize(tstInfo.Length));
        at = Der.WriteHeader(span, at, Der.OctetString, tstInfo.Length);
        at = Der.Write(span, at, tstInfo);
        if (includeCertificate) at = Der.Write(span, at, _certificates);
        at = Der.WriteHeader(span, at, Der.Set, Der.ElementSize(signerInfoContent));
        at = Der.WriteHeader(span, at, Der.Sequence, signerInfoContent);
        at = Der.Write(span, at, Version1);
        at = Der.Write(span, at, _signerIdentifier);
        at = Der.Write(span, at, Sha256Identifier);
        span[at] = Der.ContextConstructed0;
        attributes.AsSpan(1).CopyTo(span[(at + 1)..]);
        at += attributes.Length;
        at = Der.Write(span, at, EcdsaWithSha256Identifier);
        at = Der.WriteHeader(span, at, Der.OctetString, signature.Length);
        at = Der.Write(span, at, signature);
        if (at != output.Length) throw new InvalidOperationException($"timestamp token size computed as {output.Length} but {at} bytes written.");
        return output;
    }

    /// <summary>
    /// TSTInfo (RFC 3161 §2.4.2): version 1, policy, messageImprint (the hash algorithm with NULL parameters, as
    /// SignedCms's encoder writes it), serialNumber, genTime, accuracy, no ordering (its DEFAULT), the nonce when given.
    /// </summary>
    private byte[] TstInfo(string hashAlgorithmOid, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> serial, DateTimeOffset time, ReadOnlySpan<byte> nonce)
    {
        Span<byte> genTime = stackalloc byte[32];
        var genTimeLength = GeneralizedTime(time, genTime);
        var algorithm = ImprintAlgorithm(hashAlgorithmOid);
        var imprintContent = algorithm.Length + Der.ElementSize(hash.Length);
        var content = Version1.Length + _policy.Length + Der.ElementSize(imprintContent) + Der.ElementSize(serial.Length) + Der.ElementSize(genTimeLength)
            + OneSecondAccuracy.Length + (nonce.IsEmpty ? 0 : Der.ElementSize(nonce.Length));
        var output = new byte[Der.ElementSize(content)];
        var span = output.AsSpan();
        var at = Der.WriteHeader(span, 0, Der.Sequence, content);
        at = Der.Write(span, at, Version1);
        at = Der.Write(span, at, _policy);
        at = Der.WriteHeader(span, at, Der.Sequence, imprintContent);
        at = Der.Write(span, at, algorithm);
        at = Der.WriteHeader(span, at, Der.OctetString, hash.Length);
        at = Der.Write(span, at, hash);
        at = Der.WriteHeader(span, at, Der.Integer, serial.Length);
        at = Der.Write(span, at, serial);
        at = Der.WriteHeader(span, at, GeneralizedTimeTag, genTimeLength);
        at = Der.Write(span, at, genTime[..genTimeLength]);
        at = Der.Write(span, at, OneSecondAccuracy);
        if (!nonce.IsEmpty)
        {
            at = Der.WriteHeader(span, at, Der.Integer, nonce.Length);
            at = Der.Write(span, at, nonce);
        }

        if (at != output.Length) throw new InvalidOperationException($"TSTInfo size computed as {output.Length} but {at} bytes written.");
        return output;
    }

    private const byte GeneralizedTimeTag = 0x18;

    private static readonly byte[] Sha256Imprint = AlgorithmIdentifier(Oids.Sha256, withNull: true);
    private static readonly byte[] Sha384Imprint = AlgorithmIdentifier(Oids.Sha384, withNull: true);
    private static readonly byte[] Sha512Imprint = AlgorithmIdentifier(Oids.Sha512, withNull: true);

    private static byte[] ImprintAlgorithm(string oid) => oid switch
    {
        Oids.Sha256 => Sha256Imprint,
        Oids.Sha384 => Sha384Imprint,
        Oids.Sha512 => Sha512Imprint,
        _ => AlgorithmIdentifier(oid, withNull: true),
    };

    /// <summary>YYYYMMDDHHMMSS[.f…]Z in UTC, the fraction without trailing zeros and left out when zero (X.690 §11.7).</summary>
    private static int GeneralizedTime(DateTimeOffset time, Span<byte> destination)
    {
        var utc = time.UtcDateTime;
        utc.TryFormat(destination, out var n, "yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            destination[n++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            Utf8Formatter.TryFormat(fraction, destination[n..], out var written, new StandardFormat('D', (byte)digits));
            n += written;
        }

        destination[n++] = (byte)'Z';
        return n;
    }

    /// <summary>
    /// The signed attributes as a DER SET OF, sorted as DER requires, with a zero message digest, and where the digest
    /// goes. Only the digest's bytes change from token to token, never a length, so the order holds for every token.
    /// </summary>
    private static (byte[] Template, int DigestOffset) SignedAttributesTemplate(byte[] signingCertificateV2)
    {
        var contentType = Attribute(Oids.ContentType, TstInfoOid);
        var messageDigest = Attribute(Oids.MessageDigest, Der.Wrap(Der.OctetString, new byte[SHA256.HashSizeInBytes]));
        var signingCertificate = Attribute(Oids.SigningCertificateV2, signingCertificateV2);
        byte[][] sorted = [contentType, messageDigest, signingCertificate];
        Array.Sort(sorted, (a, b) => a.AsSpan().SequenceCompareTo(b));
        byte[] content = [.. sorted.SelectMany(a => a)];
        var template = Der.Wrap(Der.Set, content);
        var header = template.Length - content.Length;
        var before = sorted.TakeWhile(a => !ReferenceEquals(a, messageDigest)).Sum(a => a.Length);
        // The digest is the last bytes of its attribute.
        return (template, header + before + messageDigest.Length - SHA256.HashSizeInBytes);
    }

    private static byte[] Attribute(string oid, byte[] value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf())
            {
                writer.WriteEncodedValue(value);
            }
        }

        return writer.Encode();
    }

    private static byte[] AlgorithmIdentifier(string oid, bool withNull)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (withNull) writer.WriteNull();
        }

        return writer.Encode();
    }
}
