namespace Meterai.Pdf.Structure;

/// <summary>
/// What a page looks like to someone placing a stamp: its boxes in default user space and how a viewer turns it.
/// </summary>
public sealed record PageGeometry(int PageNumber, int PageCount, PdfRect MediaBox, PdfRect CropBox, int Rotate)
{
    /// <summary>The area a viewer shows: the crop box clipped to the media box.</summary>
    public PdfRect VisibleBox => CropBox.Intersect(MediaBox);

    /// <summary>
    /// A rectangle in user space for a stamp that reads <paramref name="width"/> × <paramref name="height"/> points on
    /// screen, <paramref name="margin"/> points from the bottom-right corner of the page as displayed (after /Rotate).
    /// Shrinks the stamp when the page is too small.
    /// </summary>
    public PdfRect BottomRight(double width, double height, double margin)
    {
        var v = VisibleBox;
        // On a small page a fixed margin would leave no room: keep it to a twentieth of the shorter side.
        margin = Math.Min(margin, Math.Min(v.Width, v.Height) / 20);
        var turned = Rotate is 90 or 270;
        var spanX = turned ? height : width; // extent along user-space x
        var spanY = turned ? width : height;
        var scale = Math.Min(1, Math.Min((v.Width - 2 * margin) / spanX, (v.Height - 2 * margin) / spanY));
        if (scale <= 0)
        {
            margin = 0;
            scale = Math.Min(v.Width / spanX, v.Height / spanY);
        }

        spanX *= scale;
        spanY *= scale;
        return Rotate switch
        {
            90 => new PdfRect(v.X2 - margin - spanX, v.Y2 - margin - spanY, v.X2 - margin, v.Y2 - margin),
            180 => new PdfRect(v.X1 + margin, v.Y2 - margin - spanY, v.X1 + margin + spanX, v.Y2 - margin),
            270 => new PdfRect(v.X1 + margin, v.Y1 + margin, v.X1 + margin + spanX, v.Y1 + margin + spanY),
            _ => new PdfRect(v.X2 - margin - spanX, v.Y1 + margin, v.X2 - margin, v.Y1 + margin + spanY),
        };
    }
}
