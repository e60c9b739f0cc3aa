namespace Meterai.Pdf.Appearance;

/// <summary>An axis-aligned rectangle in the stamp's coordinates (points, origin bottom-left).</summary>
internal readonly record struct StampBox(double X, double Y, double Width, double Height)
{
    public double Top => Y + Height;
}

/// <summary>
/// Where everything goes in a stamp of a given size: a double frame, the QR code (with its quiet zone) and a column
/// of four centred text lines. Two arrangements are tried — QR left of the text, or QR above it — and the one that
/// leaves both the QR modules and the text the larger margin over their legibility minimums wins, so a wide
/// rectangle gets the side-by-side layout and a tall or square one the stacked layout. Depends only on the size and
/// the QR's module count, not on the serial.
/// </summary>
internal sealed record StampLayout(
    double Width,
    double Height,
    double OuterFrameWidth,
    StampBox OuterFrame,
    double InnerFrameWidth,
    StampBox InnerFrame,
    StampBox Qr,
    StampBox Text,
    StampTextFit Fit,
    IReadOnlyList<double> Baselines,
    bool QrBesideText,
    double Score)
{
    /// <summary>Module size, in points, of a QR code <paramref name="modules"/> wide (quiet zone included).</summary>
    public double ModuleSize(int modules) => Qr.Width / modules;

    public bool IsLegible => Score >= 1;

    public static StampLayout Compute(double width, double height, int qrModules, StampTextMetrics metrics)
    {
        var shortSide = Math.Min(width, height);
        var outer = StampStyle.OuterFrameWidth(shortSide);
        var inner = outer / 2;
        var gap = outer; // between the two frames
        var padding = StampStyle.Padding(shortSide);
        var innerInset = outer + gap + inner / 2;
        var contentInset = outer + gap + inner + padding;
        var content = new StampBox(contentInset, contentInset, width - 2 * contentInset, height - 2 * contentInset);

        var beside = Arrange(content, padding, qrModules, metrics, qrBesideText: true);
        var stacked = Arrange(content, padding, qrModules, metrics, qrBesideText: false);
        var useBeside = beside.Score > stacked.Score || (beside.Score == stacked.Score && width >= height);
        var best = useBeside ? beside : stacked;

        return new StampLayout(
            width,
            height,
            outer,
            new StampBox(outer / 2, outer / 2, width - outer, height - outer),
            inner,
            new StampBox(innerInset, innerInset, width - 2 * innerInset, height - 2 * innerInset),
            best.Qr,
            best.Text,
            best.Fit,
            StackLines(best.Text, best.Fit, metrics),
            useBeside,
            best.Score);
    }

    /// <summary>
    /// The smallest size with the same aspect ratio that is legible, or null when none up to
    /// <paramref name="limit"/> points is (an extreme aspect ratio).
    /// </summary>
    public static (double Width, double Height)? MinimumSize(double width, double height, int qrModules, StampTextMetrics metrics, double limit)
    {
        if (!(width > 0 && height > 0)) return null;
        bool Legible(double scale) => Compute(width * scale, height * scale, qrModules, metrics).IsLegible;

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

    /// <summary>
    /// Gives the QR code the largest side the content box allows, unless the text would then be less legible (relative
    /// to its minimums) than the QR code: then the QR side is lowered until both are equally far above their minimums.
    /// </summary>
    private static (StampBox Qr, StampBox Text, StampTextFit Fit, double Score) Arrange(
        StampBox content, double gap, int modules, StampTextMetrics metrics, bool qrBesideText)
    {
        var maxSide = qrBesideText ? Math.Min(content.Height, content.Width - gap) : Math.Min(content.Width, content.Height - gap);
        if (maxSide <= 0) return (default, default, default, 0);

        StampBox TextBox(double side) => qrBesideText
            ? new StampBox(content.X + side + gap, content.Y, content.Width - side - gap, content.Height)
            : new StampBox(content.X, content.Y, content.Width, content.Height - side - gap);

        double QrScore(double side) => side / modules / StampStyle.MinModule;
        double TextScore(double side)
        {
            var box = TextBox(side);
            return StampTextFit.Fit(box.Width, box.Height, metrics).Score;
        }

        // The text's score falls as the QR side grows and the QR's rises: find where they cross. The text's score
        // can plateau (a line held by the column's width, not its height), so then grow the QR further for as long
        // as the text keeps that score: the worse of the two stays as good, and the QR gains.
        var side = maxSide;
        if (TextScore(maxSide) < QrScore(maxSide))
        {
            var crossing = LargestSide(0, maxSide, s => TextScore(s) >= QrScore(s));
            var score = QrScore(crossing);
            side = LargestSide(crossing, maxSide, s => TextScore(s) >= score);
        }

        var text = TextBox(side);
        var fit = StampTextFit.Fit(text.Width, text.Height, metrics);

        var qr = qrBesideText
            ? new StampBox(content.X, content.Y + (content.Height - side) / 2, side, side)
            : new StampBox(content.X + (content.Width - side) / 2, content.Top - side, side, side);
        return (qr, text, fit, Math.Min(fit.Score, QrScore(side)));
    }

    /// <summary>The largest side in [low, high] that satisfies a condition true at low and monotone (true, then false).</summary>
    private static double LargestSide(double low, double high, Func<double, bool> holds)
    {
        for (var i = 0; i < 30; i++)
        {
            var mid = (low + high) / 2;
            if (holds(mid)) low = mid;
            else high = mid;
        }

        return low;
    }

    /// <summary>
    /// Baselines, top line first. Each line occupies its font ascent-to-descent band; the height left over is shared
    /// as equal gaps between and around the lines (capped, so that a tall box does not scatter them) and the block is
    /// centred.
    /// </summary>
    private static double[] StackLines(StampBox text, StampTextFit fit, StampTextMetrics metrics)
    {
        var used = 0.0;
        var largest = 0.0;
        for (var i = 0; i < StampTextFit.LineCount; i++)
        {
            used += fit.Size(i) * metrics.LineHeightEm;
            largest = Math.Max(largest, fit.Size(i));
        }

        var slack = Math.Max(0, text.Height - used);
        var between = Math.Min(slack / (StampTextFit.LineCount + 1), 0.25 * largest);
        var top = text.Top - (slack - (StampTextFit.LineCount - 1) * between) / 2;
        var baselines = new double[StampTextFit.LineCount];
        for (var i = 0; i < StampTextFit.LineCount; i++)
        {
            baselines[i] = top - metrics.Ascent * fit.Size(i);
            top = baselines[i] + metrics.Descent * fit.Size(i) - between;
        }

        return baselines;
    }
}
