namespace Meterai.Pdf.Appearance;

/// <summary>An axis-aligned rectangle in the stamp's coordinates (points, origin bottom-left, y up).</summary>
public readonly record struct StampBox(double X, double Y, double Width, double Height)
{
    public double Top => Y + Height;

    public double Right => X + Width;

    public StampBox Inset(double d) => new(X + d, Y + d, Width - 2 * d, Height - 2 * d);
}
