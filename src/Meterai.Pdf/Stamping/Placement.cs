using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// Where the stamp lands and how it is turned: the widget's /Rect is the requested rectangle in user space; the
/// appearance is drawn upright in a box of <see cref="Width"/> × <see cref="Height"/> as the reader sees it, and its
/// /Matrix rotates it against the page's /Rotate (viewers turn the page, annotation appearances included, by /Rotate
/// clockwise; the matrix turns the drawing the other way so that it reads upright).
/// </summary>
internal readonly record struct Placement(PdfRect Rect, int Rotate)
{
    /// <summary>Width of the upright drawing: the rectangle's extent along the viewer's horizontal.</summary>
    public double Width => Rotate is 90 or 270 ? Rect.Height : Rect.Width;

    public double Height => Rotate is 90 or 270 ? Rect.Width : Rect.Height;

    /// <summary>The appearance's /Matrix: maps the upright box [0 0 w h] onto a box of the rectangle's size (§12.5.5).</summary>
    public double[] Matrix => Rotate switch
    {
        90 => [0, 1, -1, 0, Height, 0],
        180 => [-1, 0, 0, -1, Width, Height],
        270 => [0, -1, 1, 0, 0, Width],
        _ => [1, 0, 0, 1, 0, 0],
    };

    /// <summary>Validates the requested rectangle against what the page shows.</summary>
    public static Placement For(PdfRect requested, PageInfo page)
    {
        if (!double.IsFinite(requested.X1) || !double.IsFinite(requested.Y1) || !double.IsFinite(requested.X2) || !double.IsFinite(requested.Y2) || requested.IsEmpty)
        {
            throw new PdfFormatException(PdfErrorCodes.InvalidRequest, "the stamp rectangle must have a positive width and height");
        }

        var visible = page.VisibleBox;
        if (visible.IsEmpty || !visible.Contains(requested))
        {
            throw new PdfFormatException(
                PdfErrorCodes.RectOffPage,
                FormattableString.Invariant($"the stamp rectangle {requested} is not inside the visible area of the page {visible}"));
        }

        return new Placement(requested, page.Rotate);
    }
}
