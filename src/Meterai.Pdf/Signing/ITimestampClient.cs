using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Obtains an RFC 3161 timestamp token over a signature value (PAdES B-T). The project runs its own TSA; this
/// client may call it in-process (<see cref="InProcessTimestampClient"/>) or over HTTP
/// (<see cref="HttpTimestampClient"/>, application/timestamp-query).
/// </summary>
/// <remarks>
/// Asynchronous because the HTTP client waits on the network: a server stamping thousands of documents a second
/// must not block a thread per request. The in-process client completes synchronously (no allocation for the task).
/// A failure is a value, not an exception: <see cref="SigningErrors"/> timestamp_unavailable, timestamp_rejected,
/// timestamp_invalid, timestamp_token_too_large.
/// </remarks>
public interface ITimestampClient
{
    /// <summary>Upper bound, in bytes, of a token this client returns: used to size /Contents before signing. A larger token is refused.</summary>
    int MaxTokenSize { get; }

    /// <summary>
    /// The DER-encoded TimeStampToken (a CMS ContentInfo) whose message imprint is SHA-256(<paramref name="signatureValue"/>),
    /// checked: granted, imprint and nonce as asked, the token's signature verifies with a time-stamping certificate.
    /// </summary>
    ValueTask<Result<byte[]>> GetTokenAsync(ReadOnlyMemory<byte> signatureValue, CancellationToken cancellationToken = default);
}
