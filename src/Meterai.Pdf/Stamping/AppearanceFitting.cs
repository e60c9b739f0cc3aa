using Meterai.Core.Common;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// Decides the size the stamp is drawn at. Normally the rectangle's own size. A rectangle too small for a legible
/// stamp is refused when the page could hold a legible one of the same shape (the applicant should place it
/// bigger); on a page too small for any legible stamp (a 4-pt image page, a 50-pt banner) the stamp is drawn at
/// the smallest legible size and scaled down into the rectangle by the appearance's /Matrix — it stays exact
/// vectors, which a viewer zoomed in reads.
/// </summary>
internal static class AppearanceFitting
{
    public static StampAppearance Build(Func<double, double, Result<StampAppearance>> build, Placement placement, PageInfo page)
    {
        var w = placement.Width;
        var h = placement.Height;
        var first = build(w, h);
        if (first.IsOk) return first.Value;
        if (first.Error.Code != StampAppearanceErrors.RectTooSmall) throw new PdfFormatException(first.Error.Code, first.Error.Message);

        var visible = page.VisibleBox;
        var (pageWidth, pageHeight) = placement.Rotate is 90 or 270 ? (visible.Height, visible.Width) : (visible.Width, visible.Height);
        // "Could hold" leaves the page the margin of a twentieth a side that the default placement keeps on a small
        // page (PageGeometry.BottomRight): a 50 pt page's default 45 pt stamp is drawn scaled, not refused.
        var fit = Math.Min(0.9 * pageWidth / w, 0.9 * pageHeight / h);
        if (fit > 1 && build(w * fit, h * fit).IsOk) throw new PdfFormatException(first.Error.Code, first.Error.Message);

        for (var scale = 2.0; Math.Max(w, h) * scale <= StampAppearanceBuilder.MaxSide; scale *= 2)
        {
            var larger = build(w * scale, h * scale);
            if (larger.IsOk) return larger.Value;
        }

        throw new PdfFormatException(first.Error.Code, first.Error.Message);
    }
}
