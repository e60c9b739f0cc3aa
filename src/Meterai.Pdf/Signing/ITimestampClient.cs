namespace Meterai.Pdf.Signing;

/// <summary>
/// Obtains an RFC 3161 timestamp token over a signature value (PAdES B-T). The project runs its own TSA; this
/// client may call it in-process or over HTTP (application/timestamp-query).
/// </summary>
public interface ITimestampClient
{
    /// <summary>Upper bound, in bytes, of a token this client returns: used to size /Contents before signing.</summary>
    int MaxTokenSize { get; }

    /// <summary>Returns the DER-encoded TimeStampToken (a CMS ContentInfo) whose message imprint is SHA-256(<paramref name="signatureValue"/>).</summary>
    byte[] GetToken(ReadOnlySpan<byte> signatureValue);
}
