using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

public class CmsSignatureVerifierTests
{
    private static readonly byte[] Document = "%PDF-1.7 bytes covered by the ByteRange\n"u8.ToArray();

    private static CmsVerification Verify(byte[] cms, byte[] document, string? subFilter = null)
    {
        var parsed = CmsSignatureVerifier.Parse(cms, subFilter);
        Assert.True(parsed.IsOk, parsed.Error?.ToString());
        var digest = Algorithms.Hash(parsed.Value.ByteRangeDigestAlgorithm, document);
        return parsed.Value.Verify(digest);
    }

    [Fact]
    public void Our_BB_signature_is_valid_and_names_its_signer()
    {
        var signer = TestKeys.Issuer.Signer;
        var verdict = Verify(SignedCmsFactory.Sign(signer, Document), Document);
        Assert.True(verdict.IsValid, verdict.Failure?.ToString());
        Assert.Equal(DevelopmentIssuer.IssuerCommonName, verdict.SignerCommonName);
        Assert.Equal(signer.Certificate.Thumbprint, verdict.SignerCertificate!.Thumbprint);
        Assert.Equal(HashAlgorithmName.SHA256, verdict.DigestAlgorithm);
        Assert.Null(verdict.Timestamp);
    }

    [Fact]
    public void Our_BT_signature_carries_a_valid_timestamp_over_the_signature_value()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var cms = SignedCmsFactory.Sign(TestKeys.EcdsaSigner, Document, new InProcessTimestampClient(TestKeys.Issuer.CreateTimestampAuthority()));
        var verdict = Verify(cms, Document);
        Assert.True(verdict.IsValid, verdict.Failure?.ToString());
        var timestamp = Assert.IsType<SignatureTimestamp>(verdict.Timestamp);
        Assert.True(timestamp.ImprintMatches);
        Assert.True(timestamp.SignatureValid);
        Assert.InRange(timestamp.Time, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(DevelopmentIssuer.TsaCommonName, timestamp.Certificate!.GetNameInfo(X509NameType.SimpleName, false));
    }

    [Fact]
    public async Task A_timestamp_moved_onto_another_signature_does_not_match_its_imprint()
    {
        var timestamps = new InProcessTimestampClient(TestKeys.Issuer.CreateTimestampAuthority());
        var signer = TestKeys.Issuer.Signer;
        var profile = CadesSignature.For(signer);
        var prepared = profile.Prepare(SHA256.HashData(Document));
        var signature = signer.SignDigest(prepared.DigestToSign.Span);
        var foreignToken = (await timestamps.GetTokenAsync(new byte[] { 1, 2, 3 }, TestContext.Current.CancellationToken)).Value;
        var verdict = Verify(profile.Complete(prepared, signature, foreignToken).Value, Document);

        Assert.True(verdict.IsValid);
        Assert.False(verdict.Timestamp!.ImprintMatches);
        Assert.True(verdict.Timestamp.SignatureValid);
        Assert.False(verdict.Timestamp.IsValid);
    }

    [Fact]
    public void Changed_document_is_a_digest_mismatch()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document);
        var verdict = Verify(cms, [.. Document, (byte)' ']);
        Assert.Equal(VerificationErrors.DigestMismatch, verdict.Failure!.Code);
    }

    [Fact]
    public void Changed_signature_value_is_invalid()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document);
        var signature = CmsSignatureVerifier.Parse(cms).Value.SignatureValue.ToArray();
        var at = cms.AsSpan().IndexOf(signature);
        cms[at + 10] ^= 0x40;
        Assert.Equal(VerificationErrors.SignatureInvalid, Verify(cms, Document).Failure!.Code);
    }

    [Fact]
    public void Zero_padding_after_the_CMS_is_allowed_anything_else_is_malformed()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document);
        Assert.True(Verify([.. cms, .. new byte[2000]], Document).IsValid);
        Assert.Equal(VerificationErrors.MalformedCms, CmsSignatureVerifier.Parse((byte[])[.. cms, 0, 1]).Error!.Code);
        Assert.Equal(VerificationErrors.MalformedCms, CmsSignatureVerifier.Parse(new byte[64]).Error!.Code);
        Assert.Equal(VerificationErrors.MalformedCms, CmsSignatureVerifier.Parse(cms.AsMemory(0, cms.Length / 2)).Error!.Code);
        Assert.Equal(VerificationErrors.MalformedCms, CmsSignatureVerifier.Parse("not a signature at all"u8.ToArray()).Error!.Code);
    }

    [Fact]
    public void Signature_without_the_signer_certificate_reports_it_missing()
    {
        var signed = new SignedCms(new ContentInfo(Document), detached: true);
        signed.ComputeSignature(new CmsSigner(TestKeys.Issuer.Signer.Certificate) { IncludeOption = X509IncludeOption.None }, silent: true);
        var verdict = Verify(signed.Encode(), Document);
        Assert.Equal(VerificationErrors.SignerCertificateMissing, verdict.Failure!.Code);
    }

    public static TheoryData<string, string> Algorithms_made_by_SignedCms => new()
    {
        { "rsa-pkcs1", Oids.Sha1 }, { "rsa-pkcs1", Oids.Sha256 }, { "rsa-pkcs1", Oids.Sha384 }, { "rsa-pkcs1", Oids.Sha512 },
        { "rsa-pss", Oids.Sha256 }, { "rsa-pss", Oids.Sha512 },
        { "ecdsa", Oids.Sha256 }, { "ecdsa", Oids.Sha384 },
    };

    [Theory]
    [MemberData(nameof(Algorithms_made_by_SignedCms))]
    public void Signatures_made_by_dotnet_SignedCms_verify_with_every_supported_algorithm(string scheme, string digestOid)
    {
        var certificate = scheme == "ecdsa" ? TestKeys.EcdsaSigner.Certificate : TestKeys.Issuer.Signer.Certificate;
        using var key = scheme == "ecdsa" ? (AsymmetricAlgorithm)certificate.GetECDsaPrivateKey()! : certificate.GetRSAPrivateKey()!;
        var signed = new SignedCms(new ContentInfo(Document), detached: true);
        var cmsSigner = key is RSA rsa
            ? new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, rsa, scheme == "rsa-pss" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
            : new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, key);
        cmsSigner.DigestAlgorithm = new Oid(digestOid);
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime());
        signed.ComputeSignature(cmsSigner, silent: true);

        var verdict = Verify(signed.Encode(), Document);
        Assert.True(verdict.IsValid, verdict.Failure?.ToString());
        Assert.Equal(Algorithms.Digest(digestOid), verdict.DigestAlgorithm);
        Assert.Equal(VerificationErrors.DigestMismatch, Verify(signed.Encode(), [.. Document, 0]).Failure!.Code);
    }

    [Fact]
    public void Legacy_detached_signature_without_signed_attributes_is_over_the_content_digest()
    {
        var signed = new SignedCms(new ContentInfo(Document), detached: true);
        signed.ComputeSignature(new CmsSigner(TestKeys.Issuer.Signer.Certificate) { DigestAlgorithm = new Oid(Oids.Sha1) }, silent: true);
        var cms = signed.Encode();
        Assert.Empty(signed.SignerInfos[0].SignedAttributes);

        Assert.True(Verify(cms, Document).IsValid);
        Assert.Equal(VerificationErrors.SignatureInvalid, Verify(cms, [.. Document, 0]).Failure!.Code);
    }

    [Fact]
    public void Adbe_pkcs7_sha1_encapsulates_the_SHA1_of_the_byte_range()
    {
        var signed = new SignedCms(new ContentInfo(SHA1.HashData(Document)), detached: false);
        signed.ComputeSignature(new CmsSigner(TestKeys.Issuer.Signer.Certificate) { DigestAlgorithm = new Oid(Oids.Sha256) }, silent: true);
        var cms = signed.Encode();

        var parsed = CmsSignatureVerifier.Parse(cms, "adbe.pkcs7.sha1").Value;
        Assert.Equal(HashAlgorithmName.SHA1, parsed.ByteRangeDigestAlgorithm);
        Assert.True(Verify(cms, Document, "adbe.pkcs7.sha1").IsValid);
        Assert.Equal(VerificationErrors.DigestMismatch, Verify(cms, [.. Document, 0], "adbe.pkcs7.sha1").Failure!.Code);
    }

    [Fact]
    public void Detached_CMS_under_pkcs7_sha1_and_non_CMS_subfilters_are_refused()
    {
        var cms = SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document);
        Assert.Equal(VerificationErrors.MalformedCms, CmsSignatureVerifier.Parse(cms, "adbe.pkcs7.sha1").Error!.Code);
        Assert.Equal(VerificationErrors.UnsupportedSubFilter, CmsSignatureVerifier.Parse(cms, "adbe.x509.rsa_sha1").Error!.Code);
    }

    [Fact]
    public void MD5_is_an_unsupported_algorithm()
    {
        var signed = new SignedCms(new ContentInfo(Document), detached: true);
        signed.ComputeSignature(new CmsSigner(TestKeys.Issuer.Signer.Certificate) { DigestAlgorithm = new Oid("1.2.840.113549.2.5") }, silent: true);
        Assert.Equal(VerificationErrors.UnsupportedAlgorithm, CmsSignatureVerifier.Parse(signed.Encode()).Error!.Code);
    }

    [Fact]
    public void Chain_trust_is_reported_against_the_given_roots()
    {
        var parsed = CmsSignatureVerifier.Parse(SignedCmsFactory.Sign(TestKeys.Issuer.Signer, Document)).Value;
        var trusted = parsed.CheckChain([TestKeys.Issuer.RootCertificate]);
        Assert.True(trusted.IsTrusted, trusted.Status);
        Assert.Equal(2, trusted.Path.Count);

        var untrusted = parsed.CheckChain([TestKeys.EcdsaRoot]);
        Assert.False(untrusted.IsTrusted);
        Assert.False(parsed.CheckChain([TestKeys.Issuer.RootCertificate], DateTimeOffset.UtcNow.AddYears(30)).IsTrusted);
    }
}
