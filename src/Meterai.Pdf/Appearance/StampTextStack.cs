namespace Meterai.Pdf.Appearance;

/// <summary>
/// Sizes and stacks the panel's lines — METERAI (large), ELEKTRONIK (smaller), 10000, SEPULUH RIBU RUPIAH, the
/// serial — and, when asked, the emblem above them: every line grows with one base size at its own ratio until it
/// reaches the box's width, and the base size is the largest at which the stack still fits the box's height.
/// </summary>
internal static class StampTextStack
{
    private static readonly string[] Texts = [StampStyle.Title, StampStyle.Subtitle, StampStyle.Amount, StampStyle.AmountInWords];
    private static readonly double[] Scales = [1.0, 0.56, 1.2, 0.42, 0.45]; // the four lines, then the serial
    private static readonly StampColour[] Colours = [StampStyle.Lettering, StampStyle.Lettering, StampStyle.Lettering, StampStyle.Lettering];
    private const double EmblemScale = 0.9, Gap = 0.08;

    public readonly record struct Result(StampTextRun[] Lines, StampBox Column, double SerialSize, double SerialBaseline, StampBox Emblem);

    public static Result Fit(StampBox box, StampTextMetrics metrics, bool emblemOnTop)
    {
        if (box.Width <= 0 || box.Height <= 0) return new Result([.. Texts.Select(t => new StampTextRun(t, 0, box.X, box.Y, StampStyle.Lettering))], box, 0, box.Y, default);
        Span<double> ems = [metrics.WidthEm(Texts[0]), metrics.WidthEm(Texts[1]), metrics.WidthEm(Texts[2]), metrics.WidthEm(Texts[3]), metrics.SerialDesignEm];
        Span<double> sizes = stackalloc double[Scales.Length];

        // The stack's height grows with the base size: bisect for the largest that fits.
        double low = 0, high = box.Height;
        for (var i = 0; i < 40; i++)
        {
            var mid = (low + high) / 2;
            if (Height(mid, box.Width, ems, sizes, metrics, emblemOnTop) <= box.Height) low = mid;
            else high = mid;
        }

        var used = Height(low, box.Width, ems, sizes, metrics, emblemOnTop);
        var top = box.Top - (box.Height - used) / 2;
        var emblem = default(StampBox);
        if (emblemOnTop)
        {
            var side = Math.Min(EmblemScale * low, box.Width);
            emblem = new StampBox(box.X + (box.Width - side) / 2, top - side, side, side);
            top -= side + Gap * low;
        }

        var lines = new StampTextRun[Texts.Length];
        double serialBaseline = 0;
        for (var i = 0; i < Scales.Length; i++)
        {
            var baseline = top - metrics.Ascent * sizes[i];
            if (i < Texts.Length) lines[i] = new StampTextRun(Texts[i], sizes[i], box.X + (box.Width - ems[i] * sizes[i]) / 2, baseline, Colours[i]);
            else serialBaseline = baseline;
            top = baseline + metrics.Descent * sizes[i] - Gap * low;
        }

        return new Result(lines, box, sizes[^1], serialBaseline, emblem);
    }

    private static double Height(double baseSize, double width, ReadOnlySpan<double> ems, Span<double> sizes, StampTextMetrics metrics, bool emblemOnTop)
    {
        var total = emblemOnTop ? Math.Min(EmblemScale * baseSize, width) + Gap * baseSize : 0;
        for (var i = 0; i < Scales.Length; i++)
        {
            sizes[i] = Math.Min(Scales[i] * baseSize, width / ems[i]);
            total += sizes[i] * metrics.LineHeightEm;
        }

        return total + (Scales.Length - 1) * Gap * baseSize;
    }
}
