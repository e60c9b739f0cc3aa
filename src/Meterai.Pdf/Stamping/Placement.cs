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

    /// <summary>
    /// The appearance's /Matrix for a drawing of <paramref name="width"/> × <paramref name="height"/>: turns it against
    /// the page's /Rotate and scales it to the rectangle when it was drawn larger (a page too small for a legible
    /// stamp), so that the box it maps to is exactly the rectangle's size (§12.5.5).
    /// </summary>
    public double[] MatrixFor(double width, double height)
    {
        var sx = Width / width;
        var sy = Height / height;
        // Drawn at the rectangle's own size (up to the appearance's rounding to 1/1000 pt): no scaling at all.
        if (Math.Abs(sx - 1) < 1e-4 && Math.Abs(sy - 1) < 1e-4) return Rotation(1, 1, width, height);
        return Rotation(sx, sy, Width, Height);
    }

    private double[] Rotation(double sx, double sy, double w, double h) => Rotate switch
    {
        90 => [0, sx, -sy, 0, h, 0],
        180 => [-sx, 0, 0, -sy, w, h],
        270 => [0, -sx, sy, 0, 0, w],
        _ => [sx, 0, 0, sy, 0, 0],
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
