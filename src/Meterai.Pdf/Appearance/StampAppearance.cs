namespace Meterai.Pdf.Appearance;

/// <summary>
/// The drawing of one e-Meterai, ready to become a Form XObject: <see cref="Content"/> is a content stream in an
/// upright coordinate system whose bounding box is [0 0 Width Height] (points, origin bottom-left). It uses one
/// resource only, the font <see cref="FontResourceName"/> (<see cref="StampFont"/>); everything else, the QR code
/// included, is vector paths. The writer adds the /Matrix that turns it upright on a rotated page.
/// </summary>
/// <remarks>
/// <see cref="Width"/> and <see cref="Height"/> are rounded to 1/1000 pt, the precision the content is written in:
/// write them as the /BBox unchanged. The content is wrapped in q … Q and sets every graphics and text state
/// parameter it depends on, except those only an ExtGState can set (blend mode, alpha, soft mask): the page content
/// before the <c>Do</c> must not leave those changed, e.g. by wrapping the page's existing content in q … Q.
/// </remarks>
public sealed record StampAppearance(byte[] Content, double Width, double Height, StampFont Font)
{
    public const string FontResourceName = "F1";
}
