using Meterai.Core.Serials;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// A finished stamp. <see cref="Sha256"/> is the digest of the whole output as delivered (the bytes up to the end of
/// the stamp's revision): what the serial registry binds the serial to.
/// </summary>
public sealed record StampOutcome(
    SerialNumber Serial,
    string FieldName,
    long OutputLength,
    byte[] Sha256,
    int PageCount,
    bool Repaired,
    bool Certified,
    bool Timestamped,
    IReadOnlyList<long> ByteRange)
{
    /// <summary>Where the stamp landed: the requested rectangle, or the rectangle of the certified document's empty signature field it signed.</summary>
    public Structure.PdfRect Rectangle { get; init; }

    /// <summary><see cref="Sha256"/> as lower-case hex.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);
}
