using System.Text;
using Meterai.Pdf.Ink;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Tests.Ink;

/// <summary>The occupancy grid of a page, for tests to look at.</summary>
internal static class InkGrid
{
    public static OccupancyGrid Of(byte[] pdf, int page = 1)
    {
        var doc = PdfDocument.Open(new MemoryByteSource(pdf), PdfLimits.Default, null);
        var catalog = doc.ResolveDictionary(doc.Trailer["Root"])!;
        var info = PageTree.Locate(doc, catalog, page);
        var geometry = new PageGeometry(page, info.PageCount, info.MediaBox, info.CropBox, info.Rotate);
        var usual = geometry.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
        var grid = new OccupancyGrid(info.VisibleBox, usual.X1, usual.Y1, SpotChooser.Cell, SpotChooser.Clearance);
        new InkScanner(doc, grid, new InkScanBounds(PdfLimits.Default)).ScanPage(info);
        return grid;
    }

    /// <summary>Rows top to bottom, '#' inked.</summary>
    public static string Text(OccupancyGrid grid)
    {
        var sb = new StringBuilder();
        for (var r = grid.Rows - 1; r >= 0; r--)
        {
            for (var c = 0; c < grid.Columns; c++) sb.Append(grid.IsInked(c, r) ? '#' : '.');
            sb.Append('\n');
        }

        return sb.ToString();
    }
}
