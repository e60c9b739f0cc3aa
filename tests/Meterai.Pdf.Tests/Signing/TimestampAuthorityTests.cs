using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

public class TimestampAuthorityTests
{
    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow => now;
    }

    // Within the TSA certificate's validity (made at the start of the run): .NET checks the time against it.
    private static readonly DateTimeOffset Now = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMilliseconds(250).AddSeconds(5);

    private static TimestampAuthority Authority(IClock? clock = null) => TestKeys.Issuer.CreateTimestampAuthority(clock);

    private static Rfc3161TimestampRequest Request(byte[]? nonce = null, bool certReq = true, HashAlgorithmName? hash = null, Oid? policy = null)
    {
        var algorithm = hash ?? HashAlgorithmName.SHA256;
        var data = "a signature value"u8;
        var digest = algorithm == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
        return Rfc3161TimestampRequest.CreateFromHash(digest, algorithm, policy, nonce, certReq);
    }

    [Fact]
    public void Grants_a_token_with_our_policy_time_accuracy_nonce_and_certificate()
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        nonce[0] = 0x35;
        var request = Request(nonce);
        var encoded = Authority(new FixedClock(Now)).Respond(request.Encode());
        Assert.Equal(TimestampResponse.Granted, TimestampResponse.TryDecode(encoded)!.Status);

        var token = request.ProcessResponse(encoded, out _);
        var info = token.TokenInfo;
        Assert.Equal(Oids.MeteraiTsaPolicy, info.PolicyId.Value);
        Assert.Equal(Now, info.Timestamp);
        Assert.Equal(1_000_000, info.AccuracyInMicroseconds);
        Assert.Equal(nonce, info.GetNonce()!.Value.ToArray());
        Assert.Equal(16, info.GetSerialNumber().Length);
        var certificate = Assert.Single(token.AsSignedCms().Certificates.Cast<X509Certificate2>());
        Assert.Equal(TestKeys.Issuer.TimestampSigner.Certificate.Thumbprint, certificate.Thumbprint);
        Assert.True(token.VerifySignatureForHash(request.GetMessageHash().Span, HashAlgorithmName.SHA256, out var signer, null));
        Assert.Equal(certificate.Thumbprint, signer!.Thumbprint);
        Assert.Contains(token.AsSignedCms().SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>(), a => a.Oid.Value == Oids.SigningCertificateV2);
    }

    [Fact]
    public void CertReq_false_leaves_the_certificate_out()
    {
        var response = TimestampResponse.TryDecode(Authority().Respond(Request(certReq: false).Encode()))!;
        Assert.True(Rfc3161TimestampToken.TryDecode(response.Token, out var token, out _));
        Assert.Empty(token!.AsSignedCms().Certificates);
    }

    [Fact]
    public void Serial_numbers_do_not_repeat()
    {
        var authority = Authority();
        var serials = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var response = TimestampResponse.TryDecode(authority.Respond(Request(certReq: false).Encode()))!;
            Rfc3161TimestampToken.TryDecode(response.Token, out var token, out _);
            Assert.True(serials.Add(Convert.ToHexString(token!.TokenInfo.GetSerialNumber().Span)));
        }
    }

    [Fact]
    public void Bad_requests_are_rejected_with_a_failure_reason()
    {
        var authority = Authority();
        AssertRejected(authority.Respond("not a request"u8.ToArray()), PkiFailureInfo.BadDataFormat);
        AssertRejected(authority.Respond([.. Request().Encode(), 0]), PkiFailureInfo.BadDataFormat);
        AssertRejected(authority.Respond(Request(hash: HashAlgorithmName.SHA1).Encode()), PkiFailureInfo.BadAlg);
        AssertRejected(authority.Respond(Request(policy: new Oid("1.2.3.4")).Encode()), PkiFailureInfo.UnacceptedPolicy);
        var withOurPolicy = TimestampResponse.TryDecode(authority.Respond(Request(policy: new Oid(Oids.MeteraiTsaPolicy)).Encode()))!;
        Assert.True(withOurPolicy.IsGranted);
        Assert.True(TimestampResponse.TryDecode(authority.Respond(Request(hash: HashAlgorithmName.SHA512).Encode()))!.IsGranted);
    }

    private static void AssertRejected(byte[] encoded, PkiFailureInfo failure)
    {
        DerWalker.AssertDer(encoded);
        var response = TimestampResponse.TryDecode(encoded)!;
        Assert.Equal(TimestampResponse.Rejection, response.Status);
        Assert.Equal(failure, response.FailureInfo);
        Assert.False(string.IsNullOrEmpty(response.StatusText));
        Assert.True(response.Token.IsEmpty);
    }

    [Fact]
    public void MaxTokenSize_bounds_tokens_for_our_clients()
    {
        var authority = Authority();
        var bound = authority.MaxTokenSize(32, HttpTimestampClient.NonceLength);
        for (var i = 0; i < 50; i++)
        {
            var nonce = RandomNumberGenerator.GetBytes(HttpTimestampClient.NonceLength);
            nonce[0] |= 0x80;
            var token = TimestampResponse.TryDecode(authority.Respond(Request(nonce).Encode()))!.Token;
            Assert.InRange(token.Length, bound - 12, bound);
        }
    }

    [Fact]
    public void OpenSsl_verifies_a_response_to_its_own_query_against_the_development_root()
    {
        ExternalTool.Require("openssl");
        var folder = TestKeys.TempFolder("tsa");
        var data = Path.Combine(folder, "signature-value.bin");
        var query = Path.Combine(folder, "request.tsq");
        var reply = Path.Combine(folder, "reply.tsr");
        File.WriteAllBytes(data, RandomNumberGenerator.GetBytes(256));
        var made = ExternalTool.Run("openssl", ["ts", "-query", "-data", data, "-sha256", "-cert", "-out", query]);
        Assert.True(made.ExitCode == 0, made.All);

        File.WriteAllBytes(reply, Authority().Respond(File.ReadAllBytes(query)));
        var root = TestKeys.Issuer.RootCertificatePemPath;
        var verified = ExternalTool.Run("openssl", ["ts", "-verify", "-in", reply, "-queryfile", query, "-CAfile", root]);
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.Contains("Verification: OK", verified.All);
        var byData = ExternalTool.Run("openssl", ["ts", "-verify", "-in", reply, "-data", data, "-CAfile", root]);
        Assert.True(byData.ExitCode == 0, byData.All);

        File.WriteAllBytes(data, RandomNumberGenerator.GetBytes(256));
        Assert.NotEqual(0, ExternalTool.Run("openssl", ["ts", "-verify", "-in", reply, "-data", data, "-CAfile", root]).ExitCode);
        var printed = ExternalTool.Run("openssl", ["ts", "-reply", "-in", reply, "-text"]).All;
        Assert.Contains("Status: Granted.", printed);
        Assert.Contains(Oids.MeteraiTsaPolicy, printed);
    }

    [Fact]
    public async Task InProcess_client_returns_a_token_over_the_SHA256_of_the_signature_value()
    {
        var client = new InProcessTimestampClient(Authority());
        var signature = RandomNumberGenerator.GetBytes(256);
        var token = await client.GetTokenAsync(signature, TestContext.Current.CancellationToken);
        Assert.True(token.IsOk);
        Assert.True(token.Value.Length <= client.MaxTokenSize);
        Assert.True(Rfc3161TimestampToken.TryDecode(token.Value, out var decoded, out _));
        Assert.True(decoded!.VerifySignatureForData(signature, out _));
    }

    [Fact]
    public void Responses_are_DER()
    {
        var encoded = Authority().Respond(Request(RandomNumberGenerator.GetBytes(8)).Encode());
        var reader = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        reader.ReadSequence();
        DerWalker.AssertDer(reader.ReadEncodedValue());
    }
}
