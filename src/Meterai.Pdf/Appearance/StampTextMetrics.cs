using Meterai.Core.Serials;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Text measurement with the font's own /Widths, the numbers a viewer positions glyphs by, so that a line measured
/// here is exactly as wide on the page. Built once from <see cref="StampFont"/>.
/// </summary>
internal sealed class StampTextMetrics
{
    private readonly int[] _widths; // 1/1000 em, indexed by char code

    public StampTextMetrics(StampFont font)
    {
        Font = font;
        _widths = new int[font.LastChar + 1];
        for (var c = font.FirstChar; c <= font.LastChar; c++) _widths[c] = font.Widths[c - font.FirstChar];
        Ascent = font.Ascent / 1000.0;
        Descent = font.Descent / 1000.0;
        TitleEm = WidthEm(StampStyle.Title);
        AmountEm = WidthEm(StampStyle.Amount);
        WordsEm = WidthEm(StampStyle.AmountInWords);

        // Serials are uniform over the alphabet, so their width is a sum of 22 independent draws: the mean plus
        // three standard deviations covers 99.9 % of serials at full size; the rare wider one is condensed a
        // little (Tz) instead of shrinking, so every serial in a given rectangle has the same height.
        double mean = 0, square = 0;
        foreach (var c in SerialNumber.Alphabet)
        {
            mean += _widths[c] / 1000.0;
            square += Math.Pow(_widths[c] / 1000.0, 2);
        }

        mean /= SerialNumber.Alphabet.Length;
        var variance = square / SerialNumber.Alphabet.Length - mean * mean;
        SerialDesignEm = SerialNumber.Length * mean + 3 * Math.Sqrt(SerialNumber.Length * variance);
    }

    public static StampTextMetrics Default { get; } = new(StampFont.Default);

    public StampFont Font { get; }

    /// <summary>Font ascent and descent (negative) in em: the vertical extent a text extractor gives each line.</summary>
    public double Ascent { get; }

    public double Descent { get; }

    public double LineHeightEm => Ascent - Descent;

    public double TitleEm { get; }

    public double AmountEm { get; }

    public double WordsEm { get; }

    /// <summary>The width (em) a serial line is laid out for; see the constructor.</summary>
    public double SerialDesignEm { get; }

    /// <summary>Width of a text in em; every character must be one the font covers.</summary>
    public double WidthEm(ReadOnlySpan<char> text)
    {
        var sum = 0;
        foreach (var c in text) sum += _widths[c];
        return sum / 1000.0;
    }
}
