namespace Meterai.Pdf.Appearance;

/// <summary>
/// Sizes the four text lines (title, amount, amount in words, serial) to fill a box: every line grows with one
/// common base size at its own ratio (<see cref="StampStyle"/>) until it reaches the box's width, and the base size
/// is the largest at which the lines' stacked heights (font ascent to descent) still fit the box's height.
/// </summary>
internal readonly struct StampTextFit
{
    public const int LineCount = 4;

    private static readonly double[] Scales = [StampStyle.TitleScale, StampStyle.AmountScale, StampStyle.WordsScale, StampStyle.SerialScale];
    private static readonly double[] Minimums = [StampStyle.MinTextSize, StampStyle.MinTextSize, StampStyle.MinTextSize, StampStyle.MinSerialSize];

    public StampTextFit(double title, double amount, double words, double serial, double score)
    {
        Title = title;
        Amount = amount;
        Words = words;
        Serial = serial;
        Score = score;
    }

    public double Title { get; }

    public double Amount { get; }

    public double Words { get; }

    public double Serial { get; }

    /// <summary>The smallest ratio of a line's size to its legibility minimum: ≥ 1 means every line is legible.</summary>
    public double Score { get; }

    public double Size(int line) => line switch { 0 => Title, 1 => Amount, 2 => Words, _ => Serial };

    public static StampTextFit Fit(double width, double height, StampTextMetrics m)
    {
        if (width <= 0 || height <= 0) return default;
        Span<double> caps = [width / m.TitleEm, width / m.AmountEm, width / m.WordsEm, width / m.SerialDesignEm];

        // Total height L·Σ min(kᵢ·f, capᵢ) is piecewise linear and increasing in the base size f: walk its
        // breakpoints (where a line reaches the box width) in order and solve the segment that crosses the height.
        Span<int> order = [0, 1, 2, 3];
        for (var i = 1; i < LineCount; i++)
        {
            for (var j = i; j > 0 && caps[order[j]] / Scales[order[j]] < caps[order[j - 1]] / Scales[order[j - 1]]; j--)
            {
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
            }
        }

        var target = height / m.LineHeightEm;
        double capped = 0, growing = 0;
        foreach (var s in Scales) growing += s;
        var baseSize = caps[order[^1]] / Scales[order[^1]];
        foreach (var line in order)
        {
            var breakpoint = caps[line] / Scales[line];
            if (capped + growing * breakpoint >= target)
            {
                baseSize = (target - capped) / growing;
                break;
            }

            capped += caps[line];
            growing -= Scales[line];
        }

        Span<double> sizes = stackalloc double[LineCount];
        var score = double.MaxValue;
        for (var i = 0; i < LineCount; i++)
        {
            sizes[i] = Math.Min(Scales[i] * baseSize, caps[i]);
            score = Math.Min(score, sizes[i] / Minimums[i]);
        }

        return new StampTextFit(sizes[0], sizes[1], sizes[2], sizes[3], score);
    }
}
