using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>The checks every timestamp token gets before it is trusted: imprint, nonce, signature, time-stamping certificate.</summary>
internal static class TimestampTokenCheck
{
    /// <summary>The token's signer certificate when the token is sound, else timestamp_invalid.</summary>
    public static Result<X509Certificate2> Check(ReadOnlyMemory<byte> encoded, ReadOnlySpan<byte> expectedHash, HashAlgorithmName hashAlgorithm, byte[]? expectedNonce)
    {
        if (!Rfc3161TimestampToken.TryDecode(encoded, out var token, out var consumed) || consumed != encoded.Length)
            return SigningErrors.TimestampInvalid("the token is not a DER TimeStampToken.");
        var info = token.TokenInfo;
        if (!info.GetMessageHash().Span.SequenceEqual(expectedHash))
            return SigningErrors.TimestampInvalid("the token's message imprint is not the hash that was sent.");
        var nonce = info.GetNonce();
        if (expectedNonce is not null && (nonce is null || !nonce.Value.Span.SequenceEqual(expectedNonce)))
            return SigningErrors.TimestampInvalid("the token does not echo the request's nonce.");
        // Checks the imprint algorithm, the CMS signature and the ESS signing-certificate binding.
        if (!token.VerifySignatureForHash(expectedHash, hashAlgorithm, out var signer, extraCandidates: null) || signer is null)
            return SigningErrors.TimestampInvalid("the token's signature does not verify.");
        if (!IsTimeStampingCertificate(signer))
            return SigningErrors.TimestampInvalid($"{signer.Subject} is not a time-stamping certificate (RFC 3161: critical EKU id-kp-timeStamping).");
        return signer;
    }

    public static bool IsTimeStampingCertificate(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { Critical: true } eku
        && eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == Oids.TimeStamping);
}
