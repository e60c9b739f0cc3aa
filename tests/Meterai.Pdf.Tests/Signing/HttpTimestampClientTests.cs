using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

public class HttpTimestampClientTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private static readonly byte[] SignatureValue = RandomNumberGenerator.GetBytes(256);

    private static TimestampAuthority Authority => TestKeys.Issuer.CreateTimestampAuthority();

    private static LoopbackTsaServer.Reply Reply(byte[] body) => new(200, HttpTimestampClient.ResponseMediaType, body);

    private static async Task<Result<byte[]>> Ask(Func<byte[], LoopbackTsaServer.Reply> handler, int? maxTokenSize = null, System.Security.Cryptography.X509Certificates.X509Certificate2? expected = null)
    {
        await using var server = new LoopbackTsaServer(handler);
        var client = new HttpTimestampClient(Http, server.Endpoint, maxTokenSize ?? Authority.MaxTokenSize(32, HttpTimestampClient.NonceLength), expected);
        var result = await client.GetTokenAsync(SignatureValue, TestContext.Current.CancellationToken);
        if (server.RequestContentType is not null) Assert.Equal(HttpTimestampClient.RequestMediaType, server.RequestContentType);
        return result;
    }

    [Fact]
    public async Task Returns_the_token_of_our_authority_over_HTTP()
    {
        var authority = Authority;
        var result = await Ask(body => Reply(authority.Respond(body)), expected: TestKeys.Issuer.TimestampSigner.Certificate);
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.True(Rfc3161TimestampToken.TryDecode(result.Value, out var token, out _));
        Assert.True(token!.VerifySignatureForData(SignatureValue, out _));
        Assert.NotNull(token.TokenInfo.GetNonce());
    }

    [Fact]
    public async Task A_rejection_is_timestamp_rejected()
    {
        var result = await Ask(_ => Reply(TimestampResponse.EncodeRejection(PkiFailureInfo.SystemFailure, "clock not synchronised")));
        Assert.Equal(SigningErrors.TimestampRejectedCode, result.Error!.Code);
        Assert.Contains("clock not synchronised", result.Error.Message);
    }

    [Fact]
    public async Task Server_errors_garbage_and_a_closed_port_are_timestamp_unavailable()
    {
        Assert.Equal(SigningErrors.TimestampUnavailableCode, (await Ask(_ => new LoopbackTsaServer.Reply(500, "text/plain", "boom"u8.ToArray()))).Error!.Code);
        Assert.Equal(SigningErrors.TimestampUnavailableCode, (await Ask(_ => Reply("<html>not a tsa</html>"u8.ToArray()))).Error!.Code);

        var closed = new HttpTimestampClient(Http, new Uri($"http://127.0.0.1:{LoopbackTsaServer.FreePort()}/tsa"), 4096);
        var result = await closed.GetTokenAsync(SignatureValue, TestContext.Current.CancellationToken);
        Assert.Equal(SigningErrors.TimestampUnavailableCode, result.Error!.Code);
    }

    [Fact]
    public async Task A_token_over_another_imprint_or_without_our_nonce_is_timestamp_invalid()
    {
        var authority = Authority;
        var otherImprint = await Ask(_ => Reply(authority.Respond(Rfc3161TimestampRequest.CreateFromData("other"u8, HashAlgorithmName.SHA256, nonce: new byte[] { 1 }, requestSignerCertificates: true).Encode())));
        Assert.Equal(SigningErrors.TimestampInvalidCode, otherImprint.Error!.Code);

        var replayedNonce = await Ask(body =>
        {
            Rfc3161TimestampRequest.TryDecode(body, out var request, out _);
            var sameHashOtherNonce = Rfc3161TimestampRequest.CreateFromHash(request!.GetMessageHash(), HashAlgorithmName.SHA256, nonce: new byte[] { 7, 7 }, requestSignerCertificates: true);
            return Reply(authority.Respond(sameHashOtherNonce.Encode()));
        });
        Assert.Equal(SigningErrors.TimestampInvalidCode, replayedNonce.Error!.Code);
        Assert.Contains("nonce", replayedNonce.Error.Message);
    }

    [Fact]
    public async Task A_token_whose_signature_does_not_verify_is_refused()
    {
        var authority = Authority;
        var result = await Ask(body =>
        {
            var response = authority.Respond(body);
            var token = TimestampResponse.TryDecode(response)!.Token.ToArray();
            var cms = new SignedCms();
            cms.Decode(token);
            var signature = cms.SignerInfos[0].GetSignature();
            var at = response.AsSpan().IndexOf(signature);
            response[at + signature.Length / 2] ^= 0x01;
            return Reply(response);
        });
        Assert.Equal(SigningErrors.TimestampInvalidCode, result.Error!.Code);
    }

    [Fact]
    public async Task A_token_signed_without_the_time_stamping_usage_or_by_an_unexpected_TSA_is_refused()
    {
        var issuer = TestKeys.Issuer.Signer.Certificate;
        var notATsa = new TimestampAuthority(issuer, issuer.GetRSAPrivateKey()!, SystemClock.Instance);
        var result = await Ask(body => Reply(notATsa.Respond(body)), maxTokenSize: 8192);
        Assert.Equal(SigningErrors.TimestampInvalidCode, result.Error!.Code);

        var authority = Authority;
        var unexpected = await Ask(body => Reply(authority.Respond(body)), expected: issuer);
        Assert.Equal(SigningErrors.TimestampInvalidCode, unexpected.Error!.Code);
    }

    [Fact]
    public async Task A_token_larger_than_promised_is_refused()
    {
        var authority = Authority;
        var result = await Ask(body => Reply(authority.Respond(body)), maxTokenSize: 600);
        Assert.Equal(SigningErrors.TimestampTooLargeCode, result.Error!.Code);
    }
}
