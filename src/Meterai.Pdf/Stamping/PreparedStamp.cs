using Meterai.Core.Serials;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// A stamp half done: the original is already written to the output and hashed, the increment is built and kept
/// (never generated again), and <see cref="DigestToSign"/> is the only thing the key holder needs — a 32-byte
/// SHA-256, so the key can sit in an HSM or a remote signer. Finish with <see cref="StampEngine.Complete"/>.
/// </summary>
public sealed class PreparedStamp : IDisposable
{
    internal PreparedStamp(SerialNumber serial, PreparedIncrement increment, CadesSignature profile, PreparedSignature signature, string fieldName)
    {
        Serial = serial;
        Increment = increment;
        Profile = profile;
        Signature = signature;
        FieldName = fieldName;
    }

    public SerialNumber Serial { get; }

    /// <summary>SHA-256 of the CMS signed attributes: what the signer signs (RSA PKCS#1 v1.5 or ECDSA).</summary>
    public ReadOnlyMemory<byte> DigestToSign => Signature.DigestToSign;

    /// <summary>SHA-256 of the document bytes the signature covers (the /ByteRange).</summary>
    public ReadOnlyMemory<byte> DocumentDigest => Increment.DocumentDigest;

    /// <summary>The signature's /ByteRange: [0, start of /Contents, end of /Contents, bytes after it].</summary>
    public IReadOnlyList<long> ByteRange => Increment.Increment.ByteRange;

    /// <summary>Length of the stamped output, already fixed: the /Contents slot has a fixed size.</summary>
    public long OutputLength => Increment.Increment.OutputLength;

    public int PageCount => Increment.PageCount;

    /// <summary>The input was damaged and the increment repairs it (its cross-reference section lists every object).</summary>
    public bool Repaired => Increment.Repaired;

    /// <summary>The stamp certifies the document (DocMDP P=2).</summary>
    public bool Certified => Increment.Increment.Certified;

    public string FieldName { get; }

    /// <summary>Where the stamp lands: the requested rectangle, or a certified document's empty signature field's.</summary>
    public Structure.PdfRect Rectangle => Increment.Rectangle;

    internal PreparedIncrement Increment { get; }

    internal CadesSignature Profile { get; }

    internal PreparedSignature Signature { get; }

    public void Dispose() => Increment.Dispose();
}
