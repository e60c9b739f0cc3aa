using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>
/// The authority writes its ECDSA tokens by hand: they must be the bytes SignedCms writes for the same TSTInfo, signer
/// and certificate, all but the signature value (ECDSA signatures are randomised, so the reference is made until its
/// signature has the same length as ours, and then everything before the signature's bytes must match).
/// </summary>
public class TimestampTokenWriterTests
{
    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow => now;
    }

    public static TheoryData<string, int, int, bool> Cases => new()
    {
        { Oids.Sha256, 0, 0, true },
        { Oids.Sha256, 250, 0, true },
        { Oids.Sha256, 123, 8, false },
        { Oids.Sha384, 100, 16, true },
        { Oids.Sha512, 7, 17, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tokens_are_the_bytes_SignedCms_writes_but_the_signature(string hashOid, int milliseconds, int nonceLength, bool includeCertificate)
    {
        var issuer = TestKeys.Issuer;
        // Within the TSA certificate's validity: .NET checks the time against it when verifying.
        var second = DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        var now = new DateTimeOffset(second, TimeSpan.Zero).AddSeconds(5).AddMilliseconds(milliseconds).AddTicks(1234);
        var authority = issuer.CreateTimestampAuthority(new FixedClock(now));
        var hash = RandomNumberGenerator.GetBytes(hashOid switch { Oids.Sha384 => 48, Oids.Sha512 => 64, _ => 32 });
        byte[]? nonce = null;
        if (nonceLength > 0)
        {
            nonce = RandomNumberGenerator.GetBytes(nonceLength);
            nonce[0] = nonceLength == 17 ? (byte)0 : (byte)((nonce[0] & 0x7F) | 0x01);
            if (nonceLength == 17) nonce[1] |= 0x80;
        }

        // Not "nonce is null ? null : nonce": a null array converts to an empty ReadOnlyMemory, not to no nonce.
        ReadOnlyMemory<byte>? nonceOrNone = null;
        if (nonce is not null) nonceOrNone = nonce;
        var certificates = new X509Certificate2Collection(issuer.TimestampSigner.Certificate);
        var ours = authority.IssueToken(new Oid(hashOid), hash, nonceOrNone, includeCertificate);

        Assert.True(Rfc3161TimestampToken.TryDecode(ours, out var token, out var consumed));
        Assert.Equal(ours.Length, consumed);
        var info = token!.TokenInfo;
        Assert.Equal(new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero), info.Timestamp);
        Assert.True(token.VerifySignatureForHash(hash, hashOid switch { Oids.Sha384 => HashAlgorithmName.SHA384, Oids.Sha512 => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 }, out _, certificates));
        var cms = token.AsSignedCms();
        cms.CheckSignature(certificates, verifySignatureOnly: true);
        var signatureLength = cms.SignerInfos[0].GetSignature().Length;

        var expectedInfo = new Rfc3161TimestampTokenInfo(new Oid(Oids.MeteraiTsaPolicy), new Oid(hashOid), hash, info.GetSerialNumber(), info.Timestamp, 1_000_000,
            isOrdering: false, nonce: nonceOrNone);
        Assert.Equal(expectedInfo.Encode(), cms.ContentInfo.Content);

        for (var attempt = 0; attempt < 200; attempt++)
        {
            var reference = SignedCmsToken(issuer.TimestampSigner.Certificate, expectedInfo.Encode(), includeCertificate);
            if (reference.Length != ours.Length) continue;
            Assert.Equal(Convert.ToHexString(reference.AsSpan(0, reference.Length - signatureLength)), Convert.ToHexString(ours.AsSpan(0, ours.Length - signatureLength)));
            return;
        }

        Assert.Fail("SignedCms never gave a signature of the same length as ours");
    }

    /// <summary>How the authority made every token before: SignedCms over the TSTInfo.</summary>
    private static byte[] SignedCmsToken(X509Certificate2 certificate, byte[] tstInfo, bool includeCertificate)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(Oids.TstInfo), tstInfo), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, certificate.GetECDsaPrivateKey())
        {
            DigestAlgorithm = new Oid(Oids.Sha256),
            IncludeOption = X509IncludeOption.None,
        };
        if (includeCertificate) signer.Certificates.Add(certificate);
        signer.SignedAttributes.Add(new AsnEncodedData(Oids.SigningCertificateV2, EssCertIdV2.EncodeSigningCertificateV2(certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
