namespace Meterai.Pdf.Appearance;

/// <summary>
/// The drawing of one e-Meterai, ready to become a Form XObject: <see cref="Content"/> is a content stream in an
/// upright coordinate system whose bounding box is [0 0 Width Height] (points, origin bottom-left). It uses one
/// resource only, the font <see cref="FontResourceName"/> (<see cref="StampFont"/>); everything else, the QR code
/// included, is vector paths. The writer adds the /Matrix that turns it upright on a rotated page.
/// </summary>
public sealed record StampAppearance(byte[] Content, double Width, double Height, StampFont Font)
{
    public const string FontResourceName = "F1";
}
