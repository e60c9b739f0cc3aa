using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// The project's own RFC 3161 timestamp authority: turns a TimeStampReq into a TimeStampResp holding a token signed
/// with its own key. Stateless and thread-safe, so any number of server nodes can run it at once (serial numbers are
/// random, not counted). The HTTP layer maps <c>POST /tsa</c> (application/timestamp-query →
/// application/timestamp-reply) to <see cref="Respond(byte[])"/>.
/// </summary>
public sealed class TimestampAuthority
{
    /// <summary>The clock is read to the millisecond and claimed accurate to one second (an NTP-synchronised host).</summary>
    private const long AccuracyMicroseconds = 1_000_000;

    private readonly X509Certificate2 _certificate;
    private readonly AsymmetricAlgorithm _key;
    private readonly IClock _clock;
    private readonly Oid _policy;
    private readonly AsnEncodedData _signingCertificateV2;
    private readonly TimestampTokenWriter? _writer;
    private readonly ConcurrentDictionary<(int ImprintLength, int NonceLength), int> _maxTokenSizes = new();

    /// <param name="certificate">The TSA certificate: extended key usage id-kp-timeStamping, critical.</param>
    /// <param name="key">The TSA's private key (RSA or ECDSA).</param>
    public TimestampAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, IClock clock, string? policyOid = null)
    {
        _certificate = certificate;
        _key = key;
        _clock = clock;
        _policy = new Oid(policyOid ?? Oids.MeteraiTsaPolicy);
        _signingCertificateV2 = new AsnEncodedData(Oids.SigningCertificateV2, EssCertIdV2.EncodeSigningCertificateV2(certificate));
        // An ECDSA key (the development authority's) has its tokens written directly; any other key goes through SignedCms.
        if (key is ECDsa ecdsa) _writer = new TimestampTokenWriter(certificate, ecdsa, _policy.Value!, _signingCertificateV2.RawData);
    }

    public X509Certificate2 Certificate => _certificate;

    public string PolicyOid => _policy.Value!;

    /// <summary>
    /// Upper bound of a token over an imprint of <paramref name="imprintLength"/> bytes for a request with certReq
    /// set and a nonce of at most <paramref name="nonceLength"/> bytes: what a client of this authority reserves.
    /// </summary>
    public int MaxTokenSize(int imprintLength, int nonceLength) =>
        _maxTokenSizes.GetOrAdd((imprintLength, nonceLength), key => ComputeMaxTokenSize(key.ImprintLength, key.NonceLength));

    public byte[] Respond(byte[] timeStampReqDer) => Respond(timeStampReqDer.AsMemory());

    /// <summary>A DER TimeStampResp: granted with a token, or a rejection with a failInfo saying why.</summary>
    public byte[] Respond(ReadOnlyMemory<byte> timeStampReqDer)
    {
        if (!Rfc3161TimestampRequest.TryDecode(timeStampReqDer, out var request, out var consumed) || consumed != timeStampReqDer.Length)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.BadDataFormat, "the request is not a DER TimeStampReq");
        if (request.Version != 1)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.BadRequest, $"TimeStampReq version {request.Version} is not supported");
        var hashLength = HashLength(request.HashAlgorithmId.Value);
        if (hashLength is null)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.BadAlg, $"hash algorithm {request.HashAlgorithmId.Value} is not accepted (SHA-256, SHA-384, SHA-512)");
        var hash = request.GetMessageHash();
        if (hash.Length != hashLength)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.BadDataFormat, $"the message imprint is {hash.Length} bytes, {hashLength} expected");
        if (request.RequestedPolicyId is { } policy && policy.Value != _policy.Value)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.UnacceptedPolicy, $"policy {policy.Value} is not offered; this authority issues under {_policy.Value}");
        if (request.HasExtensions)
            return TimestampResponse.EncodeRejection(PkiFailureInfo.UnacceptedExtension, "request extensions are not supported");

        return TimestampResponse.EncodeGranted(IssueToken(request.HashAlgorithmId, hash, request.GetNonce(), request.RequestSignerCertificate));
    }

    /// <summary>A DER TimeStampToken (ContentInfo of SignedData over a TSTInfo) for an already-validated imprint.</summary>
    internal byte[] IssueToken(Oid hashAlgorithm, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte>? nonce, bool includeCertificates) =>
        IssueToken(hashAlgorithm, hash, nonce, includeCertificates, _clock.UtcNow);

    private byte[] IssueToken(Oid hashAlgorithm, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte>? nonce, bool includeCertificates, DateTimeOffset now)
    {
        // The clock is read to the millisecond: finer digits would claim more than the stated accuracy.
        var time = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        if (_writer is not null)
        {
            return _writer.Write(hashAlgorithm.Value!, hash.Span, SerialNumber(), time, nonce is { } n ? n.Span : default, includeCertificates);
        }

        var info = new Rfc3161TimestampTokenInfo(_policy, hashAlgorithm, hash, SerialNumber(), time, AccuracyMicroseconds, isOrdering: false, nonce: nonce);

        // The TSTInfo is a few hundred bytes, so SignedCms (which wants the content in memory) is the right tool here.
        var cms = new SignedCms(new ContentInfo(new Oid(Oids.TstInfo), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate, _key)
        {
            DigestAlgorithm = new Oid(Oids.Sha256),
            // Not a chain built from the machine's stores (slow, and not ours to choose): the certificates we hold.
            IncludeOption = X509IncludeOption.None,
        };
        // certReq: RFC 3161 asks for the TSA's own certificate only; its root is the verifier's business (and is
        // in the stamp's CMS anyway), and every byte here is two hex digits in /Contents.
        if (includeCertificates) signer.Certificates.Add(_certificate);

        // RFC 3161 2.4.1 / RFC 5816: the token names its signing certificate (ESS signing-certificate-v2).
        signer.SignedAttributes.Add(_signingCertificateV2);
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    /// <summary>
    /// 16 random bytes, positive and of fixed length: unique across every node without coordination (a collision
    /// needs about 2^63 tokens), and a fixed length keeps <see cref="MaxTokenSize"/> tight.
    /// </summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    /// <summary>
    /// The size of a token made with every variable part at its longest (three fraction digits in the time, the
    /// longest nonce, all certificates), plus the difference to the longest signature the key can give.
    /// </summary>
    private int ComputeMaxTokenSize(int imprintLength, int nonceLength)
    {
        // A positive nonce of n random bytes may need a leading zero byte: n + 1 content bytes at most.
        ReadOnlyMemory<byte>? nonce = null;
        if (nonceLength > 0)
        {
            var longest = new byte[nonceLength + 1];
            longest[1] = 0x80;
            nonce = longest;
        }

        var algorithm = new Oid(imprintLength switch { 48 => Oids.Sha384, 64 => Oids.Sha512, _ => Oids.Sha256 });
        var sample = IssueToken(algorithm, new byte[imprintLength], nonce, includeCertificates: true, new DateTimeOffset(2024, 9, 30, 23, 59, 59, 123, TimeSpan.Zero));
        var cms = new SignedCms();
        cms.Decode(sample);
        var signatureLength = cms.SignerInfos[0].GetSignature().Length;
        var maxSignature = _key switch
        {
            RSA rsa => (rsa.KeySize + 7) / 8,
            ECDsa ecdsa => Der.ElementSize(2 * Der.ElementSize((ecdsa.KeySize + 7) / 8 + 1)),
            _ => throw new ArgumentException("the TSA key must be RSA or ECDSA."),
        };
        return sample.Length + (maxSignature - signatureLength);
    }

    private static int? HashLength(string? oid) => oid switch
    {
        Oids.Sha256 => 32,
        Oids.Sha384 => 48,
        Oids.Sha512 => 64,
        _ => null,
    };
}
