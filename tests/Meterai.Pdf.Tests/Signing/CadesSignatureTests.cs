using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

public class CadesSignatureTests
{
    private static readonly byte[] Document = "%PDF-1.7 a small test document, signed detached\n"u8.ToArray();

    public static TheoryData<string, bool> Signers => new()
    {
        { "rsa", false }, { "rsa", true }, { "ecdsa", false }, { "ecdsa", true },
    };

    private static ISigner SignerFor(string kind) => kind == "rsa" ? TestKeys.Issuer.Signer : TestKeys.EcdsaSigner;

    private static ITimestampClient Timestamps => new InProcessTimestampClient(TestKeys.Issuer.CreateTimestampAuthority());

    [Theory]
    [MemberData(nameof(Signers))]
    public void DotNet_SignedCms_decodes_and_checks_the_signature(string kind, bool timestamped)
    {
        var signer = SignerFor(kind);
        var cms = SignedCmsFactory.Sign(signer, Document, timestamped ? Timestamps : null);

        var decoded = new SignedCms(new ContentInfo(Document), detached: true);
        decoded.Decode(cms);
        decoded.CheckSignature(verifySignatureOnly: true);

        var info = Assert.Single(decoded.SignerInfos.Cast<System.Security.Cryptography.Pkcs.SignerInfo>());
        Assert.Equal(signer.Certificate.Thumbprint, info.Certificate!.Thumbprint);
        Assert.Equal(Oids.Sha256, info.DigestAlgorithm.Value);
        Assert.Equal(signer.SignatureAlgorithmOid, info.SignatureAlgorithm.Value);
        Assert.Equal(SubjectIdentifierType.IssuerAndSerialNumber, info.SignerIdentifier.Type);
        Assert.Equal(1 + signer.Chain.Count, decoded.Certificates.Count);
        Assert.Equal(timestamped ? 1 : 0, info.UnsignedAttributes.Count);
    }

    [Fact]
    public void Tampered_document_fails_SignedCms_check()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document);
        var tampered = Document.ToArray();
        tampered[3] ^= 1;
        var decoded = new SignedCms(new ContentInfo(tampered), detached: true);
        decoded.Decode(cms);
        Assert.Throws<CryptographicException>(() => decoded.CheckSignature(verifySignatureOnly: true));
    }

    [Fact]
    public void Signed_attributes_are_exactly_content_type_message_digest_and_signing_certificate_v2_in_DER_order()
    {
        var signer = TestKeys.Issuer.Signer;
        var profile = CadesSignature.For(signer);
        var digest = SHA256.HashData(Document);
        var prepared = profile.Prepare(digest);

        Assert.Equal(SHA256.HashData(prepared.SignedAttributes.Span), prepared.DigestToSign.ToArray());
        // DER mode rejects a SET OF whose elements are not sorted, and any non-minimal length.
        var set = new AsnReader(prepared.SignedAttributes, AsnEncodingRules.DER).ReadSetOf();
        var seen = new Dictionary<string, ReadOnlyMemory<byte>>();
        while (set.HasData)
        {
            var attribute = set.ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            var values = attribute.ReadSetOf();
            seen[oid] = values.ReadEncodedValue();
            Assert.False(values.HasData);
        }

        Assert.Equal(new[] { Oids.ContentType, Oids.MessageDigest, Oids.SigningCertificateV2 }.Order(), seen.Keys.Order());
        Assert.DoesNotContain(Oids.SigningTime, seen.Keys);
        Assert.Equal(Oids.Data, new AsnReader(seen[Oids.ContentType], AsnEncodingRules.DER).ReadObjectIdentifier());
        Assert.Equal(digest, new AsnReader(seen[Oids.MessageDigest], AsnEncodingRules.DER).ReadOctetString());

        // ESSCertIDv2: hashAlgorithm omitted (DEFAULT sha256), certHash, issuerSerial.
        var essCertId = new AsnReader(seen[Oids.SigningCertificateV2], AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadSequence();
        Assert.Equal(SHA256.HashData(signer.Certificate.RawData), essCertId.ReadOctetString());
        var issuerSerial = essCertId.ReadSequence();
        var directoryName = issuerSerial.ReadSequence().ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4));
        Assert.Equal(signer.Certificate.IssuerName.RawData, directoryName.ReadEncodedValue().ToArray());
        Assert.Equal(signer.Certificate.SerialNumberBytes.ToArray(), issuerSerial.ReadIntegerBytes().ToArray());
    }

    [Fact]
    public void SignedCms_finds_signing_certificate_v2_pointing_at_the_signer()
    {
        var signer = TestKeys.Issuer.Signer;
        var decoded = new SignedCms(new ContentInfo(Document), detached: true);
        decoded.Decode(SignedCmsFactory.Sign(signer, Document));
        var attribute = decoded.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>().Single(a => a.Oid.Value == Oids.SigningCertificateV2);
        var certHash = new AsnReader(attribute.Values[0].RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadSequence().ReadOctetString();
        Assert.Equal(SHA256.HashData(signer.Certificate.RawData), certHash);
    }

    [Fact]
    public void Prepare_is_deterministic_so_nothing_but_the_increment_has_to_be_kept()
    {
        var profile = CadesSignature.For(TestKeys.Issuer.Signer);
        var digest = SHA256.HashData(Document);
        Assert.Equal(profile.Prepare(digest).SignedAttributes.ToArray(), profile.Prepare(digest).SignedAttributes.ToArray());
        Assert.NotEqual(profile.Prepare(digest).DigestToSign.ToArray(), profile.Prepare(SHA256.HashData("other"u8)).DigestToSign.ToArray());
    }

    [Fact]
    public void Whole_CMS_is_DER()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document, Timestamps);
        DerWalker.AssertDer(cms);
    }

    [Fact]
    public void Complete_refuses_a_signature_value_that_does_not_verify()
    {
        var signer = TestKeys.Issuer.Signer;
        var profile = CadesSignature.For(signer);
        var prepared = profile.Prepare(SHA256.HashData(Document));
        var signature = signer.SignDigest(prepared.DigestToSign.Span);
        signature[^1] ^= 0x01;

        var result = profile.Complete(prepared, signature);
        Assert.False(result.IsOk);
        Assert.Equal("signer_signature_invalid", result.Error!.Code);

        var other = profile.Prepare(SHA256.HashData("another document"u8));
        Assert.Equal("signer_signature_invalid", profile.Complete(other, signer.SignDigest(prepared.DigestToSign.Span)).Error!.Code);
    }

    [Fact]
    public void Complete_refuses_a_timestamp_token_that_is_not_one_sequence()
    {
        var signer = TestKeys.Issuer.Signer;
        var profile = CadesSignature.For(signer);
        var prepared = profile.Prepare(SHA256.HashData(Document));
        var signature = signer.SignDigest(prepared.DigestToSign.Span);
        Assert.Equal("timestamp_invalid", profile.Complete(prepared, signature, [0x30, 0x03, 0x02, 0x01]).Error!.Code);
    }

    [Fact]
    public void Wrong_inputs_are_caller_bugs()
    {
        var profile = CadesSignature.For(TestKeys.Issuer.Signer);
        Assert.Throws<ArgumentException>(() => profile.Prepare(new byte[20]));
        var prepared = CadesSignature.For(TestKeys.EcdsaSigner).Prepare(new byte[32]);
        Assert.Throws<ArgumentException>(() => profile.Complete(prepared, new byte[256]));
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public void MaxEncodedSize_bounds_every_real_signature_with_little_slack(string kind, bool timestamped)
    {
        var signer = SignerFor(kind);
        var timestamps = timestamped ? Timestamps : null;
        var profile = CadesSignature.For(signer);
        var bound = profile.MaxEncodedSize(timestamps?.MaxTokenSize ?? 0);
        var smallest = int.MaxValue;
        for (var i = 0; i < 40; i++)
        {
            var size = SignedCmsFactory.Sign(signer, BitConverter.GetBytes(i), timestamps).Length;
            Assert.True(size <= bound, $"signature {i}: {size} bytes > bound {bound}");
            smallest = Math.Min(smallest, size);
        }

        // RSA values have a fixed length; an ECDSA value varies by a few bytes, a token by its time's digits.
        Assert.True(bound - smallest <= (timestamped ? 24 : 8), $"bound {bound} is {bound - smallest} bytes over the smallest output {smallest}");
        if (kind == "rsa" && !timestamped) Assert.Equal(bound, smallest);
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public void OpenSsl_verifies_the_detached_signature(string kind, bool timestamped)
    {
        ExternalTool.Require("openssl");
        var folder = TestKeys.TempFolder("cades");
        var content = Path.Combine(folder, "document.pdf");
        var signature = Path.Combine(folder, "signature.der");
        var root = Path.Combine(folder, "root.pem");
        File.WriteAllBytes(content, Document);
        var signer = SignerFor(kind);
        File.WriteAllBytes(signature, SignedCmsFactory.Sign(signer, Document, timestamped ? Timestamps : null));
        File.WriteAllText(root, signer.Chain[^1].ExportCertificatePem());

        var plain = ExternalTool.Run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content, "-noverify", "-out", "/dev/null"]);
        Assert.True(plain.ExitCode == 0, plain.All);
        Assert.Contains("Verification successful", plain.All);

        // openssl's default purpose (S/MIME signing) holds too: the issuer carries emailProtection beside documentSigning.
        var chained = ExternalTool.Run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content, "-CAfile", root, "-out", "/dev/null"]);
        Assert.True(chained.ExitCode == 0, chained.All);

        File.WriteAllBytes(content, [.. Document, (byte)'x']);
        var tampered = ExternalTool.Run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", content, "-noverify", "-out", "/dev/null"]);
        Assert.NotEqual(0, tampered.ExitCode);
    }
}
