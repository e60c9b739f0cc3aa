using QRCoder;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Turns a <see cref="StampLayout"/> into content-stream operators. The stream starts by setting every graphics and
/// text state parameter it relies on (dash, joins, character and word spacing, scaling, rise, rendering mode),
/// because a Form XObject inherits whatever state the page left at the <c>Do</c>.
/// </summary>
internal static class StampDrawing
{
    private static ReadOnlySpan<byte> Prologue => "q\n[] 0 d 0 J 0 j 10 M\n"u8;
    private static ReadOnlySpan<byte> TextPrologue => "BT\n0 Tc 0 Tw 100 Tz 0 Ts 0 Tr\n"u8;

    public static void Write(ref ContentStreamWriter w, StampLayout layout, QRCodeData qr, string serial, StampTextMetrics metrics)
    {
        w.Raw(Prologue);

        // Paper tone over the whole stamp, so the page beneath never shows through the text.
        w.Raw(StampStyle.BackgroundFill);
        Rect(ref w, new StampBox(0, 0, layout.Width, layout.Height));
        w.Raw("f\n"u8);

        w.Raw(StampStyle.RedStroke);
        w.Number(layout.OuterFrameWidth);
        w.Raw("w\n"u8);
        Rect(ref w, layout.OuterFrame);
        w.Raw("S\n"u8);
        w.Number(layout.InnerFrameWidth);
        w.Raw("w\n"u8);
        Rect(ref w, layout.InnerFrame);
        w.Raw("S\n"u8);

        StampQrCode.Draw(ref w, qr, layout.Qr);

        w.Raw(TextPrologue);
        w.Raw(StampStyle.RedFill);
        CentredLine(ref w, StampStyle.Title, layout.Fit.Title, layout.Baselines[0], layout.Text, metrics);
        CentredLine(ref w, StampStyle.Amount, layout.Fit.Amount, layout.Baselines[1], layout.Text, metrics);
        CentredLine(ref w, StampStyle.AmountInWords, layout.Fit.Words, layout.Baselines[2], layout.Text, metrics);
        w.Raw(StampStyle.SerialFill);
        SerialLine(ref w, serial, layout.Fit.Serial, layout.Baselines[3], layout.Text, metrics);
        w.Raw("ET\nQ\n"u8);
    }

    private static void Rect(ref ContentStreamWriter w, StampBox box)
    {
        w.Number(box.X);
        w.Number(box.Y);
        w.Number(box.Width);
        w.Number(box.Height);
        w.Raw("re\n"u8);
    }

    private static void CentredLine(ref ContentStreamWriter w, string text, double size, double baseline, StampBox column, StampTextMetrics metrics)
    {
        var width = metrics.WidthEm(text) * size;
        Show(ref w, text, size, column.X + (column.Width - width) / 2, baseline);
    }

    /// <summary>
    /// The serial centred like the other lines; one wider than the layout planned for (rare, see
    /// <see cref="StampTextMetrics.SerialDesignEm"/>) is condensed horizontally to the column instead.
    /// </summary>
    private static void SerialLine(ref ContentStreamWriter w, string serial, double size, double baseline, StampBox column, StampTextMetrics metrics)
    {
        var width = metrics.WidthEm(serial) * size;
        if (width <= column.Width)
        {
            Show(ref w, serial, size, column.X + (column.Width - width) / 2, baseline);
            return;
        }

        // Rounded down to 1/1000 %, so the condensed line never ends past the column.
        w.Thousandths((long)Math.Floor(column.Width / width * 100_000));
        w.Raw("Tz\n"u8);
        Show(ref w, serial, size, column.X, baseline);
    }

    private static void Show(ref ContentStreamWriter w, string text, double size, double x, double baseline)
    {
        w.Raw("/F1 "u8);
        w.Number(size);
        w.Raw("Tf\n1 0 0 1 "u8);
        w.Number(x);
        w.Number(baseline);
        w.Raw("Tm\n"u8);
        w.LiteralString(text);
        w.Raw(" Tj\n"u8);
    }
}
