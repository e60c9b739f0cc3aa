using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>The stable error codes of signing, timestamping and signature verification.</summary>
public static class SigningErrors
{
    /// <summary>
    /// The signer's value does not verify with the certificate's key (a fault of the signer, never of the document; a
    /// document's own invalid signature is a verification verdict, <c>VerificationErrors.SignatureInvalid</c>).
    /// </summary>
    public const string SignatureInvalidCode = "signer_signature_invalid";

    /// <summary>A timestamp token is malformed, over the wrong data, or its own signature does not verify.</summary>
    public const string TimestampInvalidCode = "timestamp_invalid";

    /// <summary>The timestamp authority answered with a rejection.</summary>
    public const string TimestampRejectedCode = "timestamp_rejected";

    /// <summary>The timestamp authority could not be reached or answered something that is not a TimeStampResp.</summary>
    public const string TimestampUnavailableCode = "timestamp_unavailable";

    /// <summary>The token is larger than the client promised (<see cref="ITimestampClient.MaxTokenSize"/>), so it would not fit /Contents.</summary>
    public const string TimestampTooLargeCode = "timestamp_token_too_large";

    /// <summary>A PKCS#12 file is missing.</summary>
    public const string Pkcs12NotFoundCode = "pkcs12_not_found";

    /// <summary>A PKCS#12 file cannot be opened: wrong password or not PKCS#12.</summary>
    public const string Pkcs12UnreadableCode = "pkcs12_unreadable";

    /// <summary>A PKCS#12 file holds no certificate with a private key we can sign with (RSA or ECDSA).</summary>
    public const string Pkcs12NoSigningKeyCode = "pkcs12_no_signing_key";

    public static Error SignatureInvalid(string message) => new(SignatureInvalidCode, message);

    public static Error TimestampInvalid(string message) => new(TimestampInvalidCode, message);

    public static Error TimestampRejected(string message) => new(TimestampRejectedCode, message);

    public static Error TimestampUnavailable(string message) => new(TimestampUnavailableCode, message);
}
