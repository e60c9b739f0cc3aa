namespace Meterai.Pdf.Appearance;

/// <summary>
/// Lays a stamp out from its size and its QR matrix's module count (QRCoder's, with its 4-module quiet zone): the
/// square specimen (QR frame, panel in the hole) unless the rectangle is clearly wide or tall, then the QR square at
/// the left (top) and the panel in the rest. Everything scales with the size, so legibility grows with it and the
/// smallest legible size of a shape can be searched for.
/// </summary>
internal static class StampLayoutPlanner
{
    public static StampLayout Compute(double width, double height, int matrixModules, StampTextMetrics metrics, StampEmblem emblem)
    {
        var symbol = matrixModules - 8;
        var version = (symbol - 17) / 4;
        var drawn = matrixModules - 2 * StampStyle.QrTrim;
        if (width >= StampStyle.SideBySideAspect * height) return Beside(width, height, drawn, metrics, emblem);
        if (height >= StampStyle.SideBySideAspect * width) return Stacked(width, height, width, drawn, metrics, emblem);
        if (version > StampStyle.LastFramedVersion) return Stacked(width, height, 0.7 * Math.Min(width, height), drawn, metrics, emblem);
        return Framed(width, height, symbol, drawn, metrics, emblem);
    }

    private static StampLayout Framed(double width, double height, int symbol, int drawn, StampTextMetrics metrics, StampEmblem emblem)
    {
        var side = Math.Min(width, height);
        var qr = new StampBox((width - side) / 2, (height - side) / 2, side, side);
        var module = side / drawn;

        // The hole stays clear of the finder patterns and their separators (8 modules at three corners) and of the
        // alignment pattern near the fourth (versions 2–6: its 5 × 5 box ends 4 modules from the edge).
        var limit = symbol - (symbol > 21 ? 18 : 16);
        var columns = Math.Min(SameParity(symbol * StampStyle.HoleAcross, symbol), limit);
        var rows = Math.Min(SameParity(symbol * StampStyle.HoleUp, symbol), limit);
        var hole = new QrHole((drawn - columns) / 2, (drawn - rows) / 2, columns, rows);
        var holeBox = new StampBox(qr.X + hole.Column * module, qr.Top - (hole.Row + rows) * module, columns * module, rows * module);

        // A light ring of a quarter module between the modules and the panel's edge, as on the specimen.
        var panel = new StampPanel(holeBox.Inset(0.25 * module), 0.6 * module, StampStyle.PanelFill, StampStyle.PanelBorder, 0.12 * module);
        var content = panel.Box.Inset(panel.BorderWidth + 0.2 * module);
        return Fill(width, height, StampArrangement.Framed, (qr, drawn, hole), panel, content, metrics, emblem);
    }

    private static StampLayout Beside(double width, double height, int drawn, StampTextMetrics metrics, StampEmblem emblem)
    {
        var qr = new StampBox(0, 0, height, height);
        var margin = height / drawn;
        var box = new StampBox(qr.Right, margin, width - qr.Right - margin, height - 2 * margin);
        return WithPanel(width, height, StampArrangement.Beside, qr, drawn, box, metrics, emblem);
    }

    private static StampLayout Stacked(double width, double height, double side, int drawn, StampTextMetrics metrics, StampEmblem emblem)
    {
        var qr = new StampBox((width - side) / 2, height - side, side, side);
        var margin = side / drawn;
        var box = new StampBox(margin, margin, width - 2 * margin, qr.Y - margin);
        return WithPanel(width, height, StampArrangement.Stacked, qr, drawn, box, metrics, emblem);
    }

    private static StampLayout WithPanel(double width, double height, StampArrangement arrangement, StampBox qr, int drawn, StampBox box, StampTextMetrics metrics, StampEmblem emblem)
    {
        var shortSide = Math.Max(0, Math.Min(box.Width, box.Height));
        var panel = new StampPanel(box, 0.08 * shortSide, StampStyle.PanelFill, StampStyle.PanelBorder, Math.Clamp(0.02 * shortSide, 0.2, 1.5));
        var content = box.Inset(panel.BorderWidth + 0.06 * shortSide);
        return Fill(width, height, arrangement, (qr, drawn, default), panel, content, metrics, emblem);
    }

    /// <summary>Puts the emblem and the lines into the panel's content box: emblem at the left when the box is wide, else on top.</summary>
    private static StampLayout Fill(
        double width, double height, StampArrangement arrangement, (StampBox Box, int Modules, QrHole Hole) qr, StampPanel panel, StampBox content, StampTextMetrics metrics, StampEmblem emblem)
    {
        StampBox emblemBox;
        StampTextStack.Result stack;
        if (content.Width >= 1.6 * content.Height)
        {
            var side = Math.Max(0, Math.Min(0.8 * content.Height, 0.28 * content.Width));
            emblemBox = new StampBox(content.X, content.Y + (content.Height - side) / 2, side, side);
            var gap = 0.08 * content.Height;
            stack = StampTextStack.Fit(new StampBox(content.X + side + gap, content.Y, content.Width - side - gap, content.Height), metrics, emblemOnTop: false);
        }
        else
        {
            stack = StampTextStack.Fit(content, metrics, emblemOnTop: true);
            emblemBox = stack.Emblem;
        }

        return new StampLayout(width, height, arrangement, qr, panel, (emblemBox, emblem), stack.Lines, (stack.Column, stack.SerialSize, stack.SerialBaseline), metrics);
    }

    /// <summary>The integer nearest <paramref name="value"/> with the parity of <paramref name="symbol"/>, so the hole is centred on the module grid.</summary>
    private static int SameParity(double value, int symbol)
    {
        var n = (int)Math.Round(value);
        return (n - symbol) % 2 == 0 ? n : n - 1;
    }

    /// <summary>
    /// The smallest size with the same aspect ratio that is legible, or null when none up to
    /// <paramref name="limit"/> points is (an extreme aspect ratio).
    /// </summary>
    public static (double Width, double Height)? MinimumSize(double width, double height, int matrixModules, StampTextMetrics metrics, StampEmblem emblem, double limit)
    {
        if (!(width > 0 && height > 0)) return null;
        bool Legible(double scale) => Compute(width * scale, height * scale, matrixModules, metrics, emblem).IsLegible;

        double low = 0, high = 1;
        while (!Legible(high))
        {
            low = high;
            high *= 2;
            if (Math.Max(width, height) * high > 2 * limit) return null;
        }

        for (var i = 0; i < 30; i++)
        {
            var mid = (low + high) / 2;
            if (Legible(mid)) high = mid;
            else low = mid;
        }

        var minimum = (Width: Math.Ceiling(width * high), Height: Math.Ceiling(height * high));
        return Math.Max(minimum.Width, minimum.Height) > limit ? null : minimum;
    }
}
