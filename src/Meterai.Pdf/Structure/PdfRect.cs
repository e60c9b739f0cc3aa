using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Structure;

/// <summary>A rectangle in user space, normalised so that (X1, Y1) is the lower-left corner (§7.9.5).</summary>
public readonly record struct PdfRect
{
    public PdfRect(double x1, double y1, double x2, double y2)
    {
        X1 = Math.Min(x1, x2);
        Y1 = Math.Min(y1, y2);
        X2 = Math.Max(x1, x2);
        Y2 = Math.Max(y1, y2);
    }

    public double X1 { get; }

    public double Y1 { get; }

    public double X2 { get; }

    public double Y2 { get; }

    public double Width => X2 - X1;

    public double Height => Y2 - Y1;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public PdfRect Intersect(PdfRect other) =>
        new(Math.Max(X1, other.X1), Math.Max(Y1, other.Y1), Math.Max(Math.Max(X1, other.X1), Math.Min(X2, other.X2)), Math.Max(Math.Max(Y1, other.Y1), Math.Min(Y2, other.Y2)));

    /// <summary>Whether <paramref name="inner"/> lies inside this rectangle, allowing for rounding of written coordinates.</summary>
    public bool Contains(PdfRect inner, double tolerance = 0.01) =>
        inner.X1 >= X1 - tolerance && inner.Y1 >= Y1 - tolerance && inner.X2 <= X2 + tolerance && inner.Y2 <= Y2 + tolerance;

    public override string ToString() => FormattableString.Invariant($"[{X1} {Y1} {X2} {Y2}]");

    /// <summary>Reads a rectangle array of four numbers (each possibly a reference); null when it is not one.</summary>
    internal static PdfRect? From(PdfObject? value, Func<PdfObject?, PdfObject> resolve)
    {
        if (resolve(value) is not PdfArray { Count: 4 } a) return null;
        Span<double> v = stackalloc double[4];
        for (var i = 0; i < 4; i++)
        {
            switch (resolve(a[i]))
            {
                case PdfInteger n: v[i] = n.Value; break;
                case PdfReal r when double.IsFinite(r.Value): v[i] = r.Value; break;
                default: return null;
            }
        }

        return new PdfRect(v[0], v[1], v[2], v[3]);
    }
}
