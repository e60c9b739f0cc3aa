using Meterai.Core.Serials;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>One stamp to apply: which serial, where, when.</summary>
public sealed record StampRequest
{
    /// <summary>The e-Meterai serial the stamp carries (field name, /Reason, appearance, QR code).</summary>
    public required SerialNumber Serial { get; init; }

    /// <summary>1-based page number.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Where the stamp goes, in the page's default user space (points, origin at the media box's origin, before /Rotate).</summary>
    public required PdfRect Rectangle { get; init; }

    /// <summary>The signing time written to /M.</summary>
    public required DateTimeOffset SigningTime { get; init; }

    /// <summary>The user or owner password of an encrypted file (null: try the empty user password).</summary>
    public string? Password { get; init; }

    /// <summary>Certify the document (DocMDP P=2) when it has no earlier signature; null: the engine's default.</summary>
    public bool? Certify { get; init; }

    /// <summary>Text appended to /Reason after the serial.</summary>
    public string? Reason { get; init; }

    /// <summary>Optional /Location of the signature dictionary.</summary>
    public string? Location { get; init; }
}
