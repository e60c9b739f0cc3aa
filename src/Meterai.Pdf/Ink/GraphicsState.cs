namespace Meterai.Pdf.Ink;

/// <summary>The part of the graphics state (§8.4) that decides where ink lands and whether it shows: saved by q, restored by Q.</summary>
internal sealed class GraphicsState
{
    public Matrix Ctm = Matrix.Identity;

    /// <summary>A box around the clipping path (the real clip lies inside it).</summary>
    public InkBox Clip = InkBox.Everything;

    /// <summary>Whether the clip is exactly <see cref="Clip"/> (only rectangles clipped it): white may erase only then.</summary>
    public bool ClipExact = true;

    /// <summary>Whether fills cover what is under them (no constant alpha below 1, no soft mask, a normal blend mode).</summary>
    public bool FillOpaque = true;

    public double LineWidth = 1;

    /// <summary>Whether the current fill (stroke) colour is white: painting white leaves no ink on a white page.</summary>
    public bool FillWhite;

    public bool StrokeWhite;

    public ColourKind FillSpace = ColourKind.Gray;

    public ColourKind StrokeSpace = ColourKind.Gray;

    public FontMetrics Font = FontMetrics.Unknown;

    public double FontSize;

    public double CharSpacing;

    public double WordSpacing;

    public double HorizontalScale = 1;

    public double Leading;

    public double Rise;

    public int RenderMode;

    public GraphicsState Clone() => (GraphicsState)MemberwiseClone();
}

/// <summary>How colour operands are read: white is 1 in gray and RGB, 0 in CMYK and in tints of separations.</summary>
internal enum ColourKind
{
    Gray,
    Rgb,
    Cmyk,
    Tint,
    Other,
}
