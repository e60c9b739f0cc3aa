namespace Meterai.Pdf.Appearance;

/// <summary>What a path segment does: start a subpath, a straight line, a cubic Bézier curve, or close the subpath.</summary>
public enum PathVerb : byte
{
    Move,
    Line,
    Cubic,
    Close,
}

/// <summary>One path segment; points in the emblem's unit square (0 … 1, y up). A line or move uses (X3, Y3).</summary>
public readonly record struct PathSegment(PathVerb Verb, double X1, double Y1, double X2, double Y2, double X3, double Y3)
{
    public static PathSegment MoveTo(double x, double y) => new(PathVerb.Move, 0, 0, 0, 0, x, y);

    public static PathSegment LineTo(double x, double y) => new(PathVerb.Line, 0, 0, 0, 0, x, y);

    public static PathSegment CubicTo(double x1, double y1, double x2, double y2, double x3, double y3) => new(PathVerb.Cubic, x1, y1, x2, y2, x3, y3);

    public static readonly PathSegment Close = new(PathVerb.Close, 0, 0, 0, 0, 0, 0);
}

/// <summary>A filled shape of an emblem (nonzero winding).</summary>
public sealed record EmblemShape(StampColour Fill, IReadOnlyList<PathSegment> Path);

/// <summary>
/// The emblem in the stamp's panel, as vector shapes in a unit square, drawn scaled into the box the layout gives it.
/// The operator chooses it (<see cref="EmblemSvg"/> reads one from a file); the default is a neutral ornament, not
/// the national emblem, which only the state's own stamp may carry.
/// </summary>
public sealed class StampEmblem
{
    public StampEmblem(IReadOnlyList<EmblemShape> shapes) => Shapes = shapes;

    public IReadOnlyList<EmblemShape> Shapes { get; }

    /// <summary>An eight-petalled rosette with a light centre.</summary>
    public static StampEmblem Ornament { get; } = new([Rosette(), Disc(0.5, 0.5, 0.14, StampStyle.OrnamentCentre)]);

    private static EmblemShape Rosette()
    {
        const int petals = 8;
        var path = new List<PathSegment>();
        for (var i = 0; i < petals; i++)
        {
            // Each petal a lens from the centre to radius 0.5, its sides bulging ±20° from its axis.
            var a = 2 * Math.PI * i / petals;
            var (tipX, tipY) = Polar(a, 0.5);
            var (l1X, l1Y) = Polar(a - 0.42, 0.3);
            var (l2X, l2Y) = Polar(a - 0.2, 0.48);
            var (r2X, r2Y) = Polar(a + 0.2, 0.48);
            var (r1X, r1Y) = Polar(a + 0.42, 0.3);
            path.Add(PathSegment.MoveTo(0.5, 0.5));
            path.Add(PathSegment.CubicTo(l1X, l1Y, l2X, l2Y, tipX, tipY));
            path.Add(PathSegment.CubicTo(r2X, r2Y, r1X, r1Y, 0.5, 0.5));
            path.Add(PathSegment.Close);
        }

        return new EmblemShape(StampStyle.OrnamentFill, path);
    }

    private static (double X, double Y) Polar(double angle, double radius) => (0.5 + radius * Math.Cos(angle), 0.5 + radius * Math.Sin(angle));

    /// <summary>A circle as four cubic arcs (the usual 0.5523 handle length, within 0.03 % of a true circle).</summary>
    private static EmblemShape Disc(double cx, double cy, double r, StampColour fill)
    {
        var k = 0.5523 * r;
        return new EmblemShape(fill,
        [
            PathSegment.MoveTo(cx + r, cy),
            PathSegment.CubicTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
            PathSegment.CubicTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
            PathSegment.CubicTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
            PathSegment.CubicTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
            PathSegment.Close,
        ]);
    }
}
