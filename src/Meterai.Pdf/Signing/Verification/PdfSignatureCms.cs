using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// A parsed PDF signature CMS, waiting for the digest of the bytes its ByteRange covers. Made by
/// <see cref="CmsSignatureVerifier.Parse"/>.
/// </summary>
public sealed class PdfSignatureCms
{
    private readonly SignerInfo _signer;
    private readonly byte[]? _encapsulatedContent;
    private readonly IReadOnlyList<HashAlgorithmName?> _declaredDigestAlgorithms;

    internal PdfSignatureCms(SignerInfo signer, HashAlgorithmName digestAlgorithm, IReadOnlyList<HashAlgorithmName?> declaredDigestAlgorithms, byte[]? encapsulatedContent, IReadOnlyList<X509Certificate2> certificates)
    {
        _signer = signer;
        _declaredDigestAlgorithms = declaredDigestAlgorithms;
        _encapsulatedContent = encapsulatedContent;
        DigestAlgorithm = digestAlgorithm;
        Certificates = certificates;
        SignerCertificate = FindSigner(signer, certificates);
    }

    /// <summary>
    /// The hash to stream the ByteRange through and pass to <see cref="Verify"/>: the CMS digest algorithm for a
    /// detached signature, SHA-1 for adbe.pkcs7.sha1 (whose signed content is the SHA-1 of the ByteRange).
    /// </summary>
    public HashAlgorithmName ByteRangeDigestAlgorithm => _encapsulatedContent is null ? DigestAlgorithm : HashAlgorithmName.SHA1;

    /// <summary>The SignerInfo's digest algorithm.</summary>
    public HashAlgorithmName DigestAlgorithm { get; }

    /// <summary>Every certificate the CMS carries.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>The certificate the SignerInfo names, when the CMS carries it.</summary>
    public X509Certificate2? SignerCertificate { get; }

    /// <summary>The signature value (what a signature timestamp's imprint covers).</summary>
    public ReadOnlyMemory<byte> SignatureValue => _signer.Signature;

    /// <summary>Checks the signature against <paramref name="byteRangeDigest"/>, the <see cref="ByteRangeDigestAlgorithm"/> hash of the ByteRange.</summary>
    public CmsVerification Verify(ReadOnlySpan<byte> byteRangeDigest)
    {
        if (byteRangeDigest.Length != Algorithms.HashLength(ByteRangeDigestAlgorithm))
            throw new ArgumentException($"the ByteRange digest must be a {ByteRangeDigestAlgorithm.Name} digest ({Algorithms.HashLength(ByteRangeDigestAlgorithm)} bytes).", nameof(byteRangeDigest));

        var timestamp = ReadTimestamp();
        CmsVerification Verdict(string? code, string? message) =>
            new(code is null ? null : new Error(code, message!), SignerCertificate, DigestAlgorithm, _signer.SignatureAlgorithmOid, timestamp);

        // RFC 5652 5.1: each element of SignedData.digestAlgorithms is an algorithm some signer uses. A set naming
        // only others is contradictory, and verifiers disagree on which to believe (poppler hashes with the set's
        // algorithm and reports a digest mismatch, OpenSSL finds no matching digest), so it is not called valid.
        if (_declaredDigestAlgorithms.Count > 0 && !_declaredDigestAlgorithms.Contains(DigestAlgorithm))
            return Verdict(VerificationErrors.MalformedCms, $"the signer's digest algorithm {DigestAlgorithm.Name} is not among those SignedData declares ({string.Join(", ", _declaredDigestAlgorithms.Select(a => a?.Name ?? "unknown"))}).");

        // adbe.pkcs7.sha1: the signed content is the SHA-1 of the ByteRange; the CMS then signs that content.
        ReadOnlySpan<byte> contentDigest = byteRangeDigest;
        if (_encapsulatedContent is not null)
        {
            if (!byteRangeDigest.SequenceEqual(_encapsulatedContent))
                return Verdict(VerificationErrors.DigestMismatch, "the SHA-1 of the signed bytes is not the one the signature encapsulates.");
            contentDigest = Algorithms.Hash(DigestAlgorithm, _encapsulatedContent);
        }

        if (SignerCertificate is null)
            return Verdict(VerificationErrors.SignerCertificateMissing, "the CMS does not carry the certificate its SignerInfo names.");
        var scheme = Algorithms.Signature(_signer.SignatureAlgorithmOid, _signer.SignatureAlgorithmParameters, DigestAlgorithm);
        if (scheme is null)
            return Verdict(VerificationErrors.UnsupportedAlgorithm, $"signature algorithm {_signer.SignatureAlgorithmOid} (or its parameters) is not supported.");

        byte[] signedHash;
        if (_signer.SignedAttributes is not null)
        {
            if (!_signer.MessageDigest.AsSpan().SequenceEqual(contentDigest))
                return Verdict(VerificationErrors.DigestMismatch, "the document's digest is not the message-digest the signature was made over: the signed bytes changed.");
            signedHash = Algorithms.Hash(scheme.Hash, _signer.SignedAttributes);
        }
        else
        {
            // Legacy adbe.pkcs7.detached without signed attributes: the signature is directly over the content digest.
            if (scheme.Hash != DigestAlgorithm)
                return Verdict(VerificationErrors.UnsupportedAlgorithm, $"the signature hash {scheme.Hash.Name} differs from the digest algorithm {DigestAlgorithm.Name}.");
            signedHash = contentDigest.ToArray();
        }

        return VerifySignature(scheme, signedHash) switch
        {
            null => Verdict(VerificationErrors.UnsupportedAlgorithm, $"the signer certificate's key does not fit signature algorithm {_signer.SignatureAlgorithmOid}."),
            false => Verdict(VerificationErrors.SignatureInvalid, "the signature value does not verify with the signer certificate's key."),
            true => Verdict(null, null),
        };
    }

    /// <summary>
    /// Whether the signer certificate chains to one of <paramref name="trustedRoots"/> (using the CMS's other
    /// certificates as intermediates), at <paramref name="at"/> (default now). No revocation check and no
    /// downloads: this answers "issued under these roots", not "not revoked".
    /// </summary>
    public ChainTrust CheckChain(IEnumerable<X509Certificate2> trustedRoots, DateTimeOffset? at = null)
    {
        if (SignerCertificate is null) return new ChainTrust(false, "signer certificate missing", []);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(Certificates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = (at ?? DateTimeOffset.UtcNow).UtcDateTime;
        var trusted = chain.Build(SignerCertificate);
        var path = chain.ChainElements.Select(e => e.Certificate).ToList();
        var status = trusted ? "trusted" : string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        return new ChainTrust(trusted, status, path);
    }

    private bool? VerifySignature(Algorithms.Scheme scheme, byte[] hash)
    {
        try
        {
            if (scheme.IsRsa)
            {
                using var rsa = SignerCertificate!.GetRSAPublicKey();
                return rsa?.VerifyHash(hash, _signer.Signature, scheme.Hash, scheme.Padding!);
            }

            using var ecdsa = SignerCertificate!.GetECDsaPublicKey();
            return ecdsa?.VerifyHash(hash, _signer.Signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // A malformed signature value (wrong length, bad DER) is a signature that does not verify.
            return false;
        }
    }

    private SignatureTimestamp? ReadTimestamp()
    {
        if (_signer.TimestampToken is not { } encoded) return null;
        if (!Rfc3161TimestampToken.TryDecode(encoded, out var token, out _)) return new SignatureTimestamp(default, false, false, null, "");
        var info = token.TokenInfo;
        var algorithm = Algorithms.Digest(info.HashAlgorithmId.Value ?? "");
        var imprint = info.GetMessageHash().Span;
        var imprintMatches = algorithm is not null && imprint.SequenceEqual(Algorithms.Hash(algorithm.Value, _signer.Signature));
        // Verifying against the token's own imprint isolates the question "is the token authentic".
        X509Certificate2? tsa = null;
        var signatureValid = algorithm is not null
                             && token.VerifySignatureForHash(imprint, algorithm.Value, out tsa, new X509Certificate2Collection(Certificates.ToArray()));
        return new SignatureTimestamp(info.Timestamp, imprintMatches, signatureValid, signatureValid ? tsa : null, info.PolicyId.Value ?? "");
    }

    private static X509Certificate2? FindSigner(SignerInfo signer, IReadOnlyList<X509Certificate2> certificates)
    {
        if (signer.SubjectKeyIdentifier is { } keyId)
        {
            return certificates.FirstOrDefault(c =>
                c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.Span.SequenceEqual(keyId) == true);
        }

        var issuer = new X500DistinguishedName(signer.IssuerName!);
        return certificates.FirstOrDefault(c =>
            new BigInteger(c.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true) == signer.SerialNumber
            && (c.IssuerName.RawData.AsSpan().SequenceEqual(signer.IssuerName) || c.IssuerName.Name == issuer.Name));
    }
}
