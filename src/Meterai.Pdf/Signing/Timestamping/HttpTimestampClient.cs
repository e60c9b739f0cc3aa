using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Timestamps over HTTP (RFC 3161 section 3.4: POST application/timestamp-query, answer application/timestamp-reply)
/// and checks what comes back before anyone embeds it: granted status, our imprint and nonce, a token signature
/// that verifies with a certificate allowed to timestamp, and (optionally) that certificate being the expected one.
/// </summary>
public sealed class HttpTimestampClient : ITimestampClient
{
    public const string RequestMediaType = "application/timestamp-query";
    public const string ResponseMediaType = "application/timestamp-reply";
    /// <summary>Bytes of random nonce in each request (for <see cref="TimestampAuthority.MaxTokenSize"/>).</summary>
    public const int NonceLength = 16;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly X509Certificate2? _expectedSigner;

    /// <param name="maxTokenSize">The largest token to accept; for our own TSA, <c>authority.MaxTokenSize(32, HttpTimestampClient.NonceLength)</c>.</param>
    /// <param name="expectedSigner">When set, only tokens signed by this certificate are accepted.</param>
    public HttpTimestampClient(HttpClient http, Uri endpoint, int maxTokenSize, X509Certificate2? expectedSigner = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokenSize);
        _http = http;
        _endpoint = endpoint;
        _expectedSigner = expectedSigner;
        MaxTokenSize = maxTokenSize;
    }

    public int MaxTokenSize { get; }

    public async ValueTask<Result<byte[]>> GetTokenAsync(ReadOnlyMemory<byte> signatureValue, CancellationToken cancellationToken = default)
    {
        var imprint = SHA256.HashData(signatureValue.Span);
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        nonce[0] &= 0x7F;
        var request = Rfc3161TimestampRequest.CreateFromHash(imprint, HashAlgorithmName.SHA256, nonce: nonce, requestSignerCertificates: true);

        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = new MediaTypeHeaderValue(RequestMediaType);
            using var response = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return SigningErrors.TimestampUnavailable($"the timestamp authority at {_endpoint} answered HTTP {(int)response.StatusCode}.");
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return SigningErrors.TimestampUnavailable($"the timestamp authority at {_endpoint} could not be reached: {e.Message}");
        }

        return Check(body, request, imprint);
    }

    private Result<byte[]> Check(byte[] body, Rfc3161TimestampRequest request, byte[] imprint)
    {
        var response = TimestampResponse.TryDecode(body);
        if (response is null) return SigningErrors.TimestampUnavailable($"the answer of {_endpoint} is not a TimeStampResp.");
        if (!response.IsGranted)
            return SigningErrors.TimestampRejected($"the timestamp authority refused (status {response.Status}, failInfo {response.FailureInfo}): {response.StatusText}");
        if (response.Token.IsEmpty) return SigningErrors.TimestampInvalid("a granted response without a token.");
        if (response.Token.Length > MaxTokenSize)
            return Result<byte[]>.Fail(SigningErrors.TimestampTooLargeCode, $"the token is {response.Token.Length} bytes, more than the {MaxTokenSize} reserved for it.");

        var token = TimestampTokenCheck.Check(response.Token, imprint, HashAlgorithmName.SHA256, request.GetNonce()?.ToArray());
        if (!token.IsOk) return token.Error;
        if (_expectedSigner is not null && !token.Value.RawData.AsSpan().SequenceEqual(_expectedSigner.RawData))
            return SigningErrors.TimestampInvalid($"the token is signed by {token.Value.Subject}, not by the expected {_expectedSigner.Subject}.");
        return response.Token.ToArray();
    }
}
