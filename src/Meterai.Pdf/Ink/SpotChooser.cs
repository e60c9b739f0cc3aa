using Meterai.Pdf.Parsing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Ink;

/// <summary>
/// Chooses where a stamp goes when the caller gives no rectangle: the free spot (no ink under it, the page margin
/// kept) nearest the usual place, bottom right of the page as displayed, at the default size. One pass over the
/// page's content marks an occupancy grid; a summed-area table then answers "is this spot free" in constant time
/// for every candidate, so the choice costs the content's interpretation and little else.
/// </summary>
internal static class SpotChooser
{
    /// <summary>Grid cell (pt): candidates lie on this pitch from the usual place.</summary>
    public const double Cell = 4;

    /// <summary>Room kept between the stamp and any ink (pt).</summary>
    public const double Clearance = 2;

    public static AutoPlacement Choose(PdfDocument doc, PageInfo page, PdfLimits limits)
    {
        var geometry = new PageGeometry(0, page.PageCount, page.MediaBox, page.CropBox, page.Rotate);
        var usual = geometry.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
        try
        {
            var grid = new OccupancyGrid(page.VisibleBox, usual.X1, usual.Y1, Cell, Clearance);
            new InkScanner(doc, grid, new InkScanBounds(limits)).ScanPage(page);
            var margin = Math.Min(DefaultStampSize.Margin, Math.Min(page.VisibleBox.Width, page.VisibleBox.Height) / 20);
            return FreeSpot(grid, page.VisibleBox, usual, margin) is { } spot
                ? new AutoPlacement(spot, usual, null, null)
                : new AutoPlacement(usual, usual, AutoPlacement.PageFull, "no free spot of the stamp's size on the page: the usual place");
        }
        catch (InkBudgetException e)
        {
            return new AutoPlacement(usual, usual, AutoPlacement.WorkLimit, e.Message);
        }
        catch (InkUnknownException e)
        {
            return new AutoPlacement(usual, usual, AutoPlacement.ContentUnreadable, e.Message);
        }
        catch (PdfDamageException e)
        {
            // The page's content is damaged: the stamp does not need it, so neither does its placement.
            return new AutoPlacement(usual, usual, AutoPlacement.ContentUnreadable, e.Message);
        }
        catch (PdfFormatException e)
        {
            // Anything the page's content does wrong (a token too long, a stream that does not inflate): the stamp
            // does not read it, so it does not stop the stamp either.
            return new AutoPlacement(usual, usual, AutoPlacement.ContentUnreadable, e.Message);
        }
    }

    /// <summary>The free candidate nearest <paramref name="usual"/>, or null when there is none.</summary>
    internal static PdfRect? FreeSpot(OccupancyGrid grid, PdfRect visible, PdfRect usual, double margin)
    {
        var sums = SummedArea(grid);
        var stride = grid.Columns + 1;
        var wc = (int)Math.Ceiling(usual.Width / grid.Cell - 1e-9);
        var hc = (int)Math.Ceiling(usual.Height / grid.Cell - 1e-9);
        var c0 = (int)Math.Round((usual.X1 - grid.OriginX) / grid.Cell);
        var r0 = (int)Math.Round((usual.Y1 - grid.OriginY) / grid.Cell);
        PdfRect? best = null;
        var bestDistance = double.MaxValue;
        for (var r = 0; r + hc <= grid.Rows; r++)
        {
            var y1 = usual.Y1 + (r - r0) * grid.Cell;
            if (y1 < visible.Y1 + margin - 1e-6 || y1 + usual.Height > visible.Y2 - margin + 1e-6) continue;
            for (var c = 0; c + wc <= grid.Columns; c++)
            {
                var x1 = usual.X1 + (c - c0) * grid.Cell;
                if (x1 < visible.X1 + margin - 1e-6 || x1 + usual.Width > visible.X2 - margin + 1e-6) continue;
                double dx = c - c0, dy = r - r0;
                var distance = dx * dx + dy * dy;
                if (distance >= bestDistance) continue;
                var inked = sums[(r + hc) * stride + c + wc] - sums[r * stride + c + wc] - sums[(r + hc) * stride + c] + sums[r * stride + c];
                if (inked != 0) continue;
                bestDistance = distance;
                best = new PdfRect(x1, y1, x1 + usual.Width, y1 + usual.Height);
            }
        }

        return best;
    }

    private static int[] SummedArea(OccupancyGrid grid)
    {
        var stride = grid.Columns + 1;
        var sums = new int[stride * (grid.Rows + 1)];
        for (var r = 0; r < grid.Rows; r++)
        {
            var rowSum = 0;
            for (var c = 0; c < grid.Columns; c++)
            {
                if (grid.IsInked(c, r)) rowSum++;
                sums[(r + 1) * stride + c + 1] = sums[r * stride + c + 1] + rowSum;
            }
        }

        return sums;
    }
}
