using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Ink;

/// <summary>
/// The visible area of a page in square cells, each marked when any ink may touch it. The grid is anchored on the
/// preferred spot's corner, so that every candidate spot is a whole number of cells away from it and the preferred
/// spot itself is one of them.
/// </summary>
internal sealed class OccupancyGrid
{
    private readonly bool[] _inked;

    /// <param name="clearance">How far from any ink a free cell must be (anti-aliased edges, rounding to pixels).</param>
    public OccupancyGrid(PdfRect visible, double anchorX, double anchorY, double cell, double clearance)
    {
        Cell = cell;
        Clearance = clearance;
        OriginX = anchorX - Math.Ceiling((anchorX - visible.X1) / cell) * cell;
        OriginY = anchorY - Math.Ceiling((anchorY - visible.Y1) / cell) * cell;
        Columns = Math.Max(1, (int)Math.Ceiling((visible.X2 - OriginX) / cell));
        Rows = Math.Max(1, (int)Math.Ceiling((visible.Y2 - OriginY) / cell));
        if ((long)Columns * Rows > MaxCells) throw new InkBudgetException("the page is too large for the placement grid");
        _inked = new bool[Columns * Rows];
    }

    /// <summary>About 14,000 × 14,000 pt at 4 pt cells: larger pages fall back to the usual place.</summary>
    public const int MaxCells = 12_000_000;

    public double Cell { get; }

    public double Clearance { get; }

    public double OriginX { get; }

    public double OriginY { get; }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Cells changed so far: the scan's cost, bounded with the rest of its work.</summary>
    public long CellsTouched { get; private set; }

    public bool IsInked(int column, int row) => _inked[row * Columns + column];

    /// <summary>Marks every cell the box touches.</summary>
    public void Paint(InkBox box)
    {
        if (!Span(box.Grown(Clearance), inner: false, out var c1, out var r1, out var c2, out var r2)) return;
        for (var r = r1; r <= r2; r++) Array.Fill(_inked, true, r * Columns + c1, c2 - c1 + 1);
        CellsTouched += (long)(c2 - c1 + 1) * (r2 - r1 + 1);
    }

    /// <summary>Clears every cell the box covers entirely (white painted over it).</summary>
    public void Erase(InkBox box)
    {
        if (!Span(box, inner: true, out var c1, out var r1, out var c2, out var r2)) return;
        for (var r = r1; r <= r2; r++) Array.Fill(_inked, false, r * Columns + c1, c2 - c1 + 1);
        CellsTouched += (long)(c2 - c1 + 1) * (r2 - r1 + 1);
    }

    private bool Span(InkBox box, bool inner, out int c1, out int r1, out int c2, out int r2)
    {
        c1 = r1 = c2 = r2 = 0;
        if (box.IsEmpty) return false;
        double x1 = (box.X1 - OriginX) / Cell, x2 = (box.X2 - OriginX) / Cell, y1 = (box.Y1 - OriginY) / Cell, y2 = (box.Y2 - OriginY) / Cell;
        var a1 = Math.Max(0, inner ? Math.Ceiling(x1 - 1e-9) : Math.Floor(x1));
        var b1 = Math.Max(0, inner ? Math.Ceiling(y1 - 1e-9) : Math.Floor(y1));
        var a2 = Math.Min(Columns - 1, (inner ? Math.Floor(x2 + 1e-9) : Math.Ceiling(x2)) - 1);
        var b2 = Math.Min(Rows - 1, (inner ? Math.Floor(y2 + 1e-9) : Math.Ceiling(y2)) - 1);
        if (a1 > a2 || b1 > b2) return false;
        (c1, r1, c2, r2) = ((int)a1, (int)b1, (int)a2, (int)b2);
        return true;
    }
}
