using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Stamping;

/// <summary>How a <see cref="StampEngine"/> stamps. Immutable; one engine serves every request.</summary>
public sealed record StampEngineOptions
{
    /// <summary>Bounds on input size and on everything a hostile file could make the engine do.</summary>
    public PdfLimits Limits { get; init; } = PdfLimits.Default;

    /// <summary>Base of the verification URL the QR code and /ContactInfo carry: <c>{PUBLICBASEURL}/V/{SERIAL}</c> (<see cref="Meterai.Core.Serials.VerifyAddress"/>).</summary>
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:5080";

    /// <summary>When set, every signature gets an RFC 3161 signature timestamp (PAdES B-T); otherwise B-B.</summary>
    public ITimestampClient? TimestampClient { get; init; }

    /// <summary>Certify documents that have no earlier signature (DocMDP P=2), unless a request says otherwise.</summary>
    public bool Certify { get; init; }

    /// <summary>Text after the serial in /Reason when a request gives none.</summary>
    public string DefaultReason { get; init; } = "e-Meterai Rp10.000";

    /// <summary>The emblem drawn on the stamp's panel: the operator's own, or a neutral ornament.</summary>
    public Appearance.StampEmblem Emblem { get; init; } = Appearance.StampEmblem.Ornament;

    public string VerifyUrl(Meterai.Core.Serials.SerialNumber serial) => Meterai.Core.Serials.VerifyAddress.For(PublicBaseUrl, serial);
}
