using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Ink;

/// <summary>An affine transformation [a b c d e f] as PDF writes it (§8.3.4): a point (x, y) maps to (ax + cy + e, bx + dy + f).</summary>
internal readonly record struct Matrix(double A, double B, double C, double D, double E, double F)
{
    public static readonly Matrix Identity = new(1, 0, 0, 1, 0, 0);

    /// <summary>This transformation followed by <paramref name="then"/> (PDF's <c>this × then</c>).</summary>
    public Matrix Times(Matrix then) => new(
        A * then.A + B * then.C,
        A * then.B + B * then.D,
        C * then.A + D * then.C,
        C * then.B + D * then.D,
        E * then.A + F * then.C + then.E,
        E * then.B + F * then.D + then.F);

    public (double X, double Y) Apply(double x, double y) => (A * x + C * y + E, B * x + D * y + F);

    /// <summary>How much a unit length can grow under this transformation at most (for line widths).</summary>
    public double MaxScale => Math.Sqrt(Math.Max(A * A + B * B, C * C + D * D));

    /// <summary>Whether axis-aligned rectangles stay axis-aligned (no rotation other than quarter turns, no skew).</summary>
    public bool KeepsAxes => (Math.Abs(B) < 1e-9 && Math.Abs(C) < 1e-9) || (Math.Abs(A) < 1e-9 && Math.Abs(D) < 1e-9);

    /// <summary>The bounding box of the rectangle (x1, y1)–(x2, y2) once transformed.</summary>
    public InkBox Bounds(double x1, double y1, double x2, double y2)
    {
        var box = InkBox.Empty;
        box = box.Including(Apply(x1, y1));
        box = box.Including(Apply(x2, y1));
        box = box.Including(Apply(x1, y2));
        return box.Including(Apply(x2, y2));
    }
}

/// <summary>An axis-aligned box in default user space; empty when nothing was added.</summary>
internal readonly record struct InkBox(double X1, double Y1, double X2, double Y2)
{
    public static readonly InkBox Empty = new(double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);

    public static readonly InkBox Everything = new(-1e9, -1e9, 1e9, 1e9);

    public bool IsEmpty => !(X1 <= X2 && Y1 <= Y2);

    public InkBox Including((double X, double Y) p) =>
        !double.IsFinite(p.X) || !double.IsFinite(p.Y) ? Everything : new(Math.Min(X1, p.X), Math.Min(Y1, p.Y), Math.Max(X2, p.X), Math.Max(Y2, p.Y));

    public InkBox Union(InkBox o) => IsEmpty ? o : o.IsEmpty ? this : new(Math.Min(X1, o.X1), Math.Min(Y1, o.Y1), Math.Max(X2, o.X2), Math.Max(Y2, o.Y2));

    public InkBox Intersect(InkBox o) => new(Math.Max(X1, o.X1), Math.Max(Y1, o.Y1), Math.Min(X2, o.X2), Math.Min(Y2, o.Y2));

    public InkBox Grown(double by) => IsEmpty ? this : new(X1 - by, Y1 - by, X2 + by, Y2 + by);

    public static InkBox Of(PdfRect r) => new(r.X1, r.Y1, r.X2, r.Y2);
}
