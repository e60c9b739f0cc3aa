namespace Meterai.Pdf.Appearance;

/// <summary>
/// The PDF backend of <see cref="StampPicture"/>: content-stream operators. What every stamp of a size shares — the
/// background, the panel, the emblem and the fixed lines — is written once per layout and copied; per stamp only the
/// QR modules and the serial are written. The stream first sets every graphics and text state parameter it relies on
/// (dash, joins, character and word spacing, scaling, rise, rendering mode), because a Form XObject inherits whatever
/// state the page left at the <c>Do</c>.
/// </summary>
internal static class StampPdfPainter
{
    private static ReadOnlySpan<byte> Prologue => "q\n[] 0 d 0 J 0 j 10 M\n"u8;
    private static ReadOnlySpan<byte> TextPrologue => "BT\n0 Tc 0 Tw 100 Tz 0 Ts 0 Tr\n"u8;

    /// <summary>The bytes before the QR modules and those between them and the serial, for one layout.</summary>
    internal sealed record Parts(byte[] Head, byte[] Overlay);

    public static void Write(ref ContentStreamWriter w, StampPicture picture)
    {
        var layout = picture.Layout;
        var parts = layout.PdfParts ??= PartsOf(layout); // a race computes the same bytes twice; either is kept
        w.Raw(parts.Head);
        Qr(ref w, picture);
        w.Raw(parts.Overlay);
        Serial(ref w, layout.SerialRun(picture.Serial), picture.Serial);
        w.Raw("ET\nQ\n"u8);
    }

    private static Parts PartsOf(StampLayout layout)
    {
        var w = new ContentStreamWriter(1024);
        try
        {
            w.Raw(Prologue);
            Fill(ref w, layout.Background);
            Rect(ref w, new StampBox(0, 0, layout.Width, layout.Height));
            w.Raw("f\n"u8);
            var head = w.Written.ToArray();
            w.Dispose();

            w = new ContentStreamWriter(2048);
            Panel(ref w, layout.Panel);
            Emblem(ref w, layout.Emblem, layout.EmblemBox);
            w.Raw(TextPrologue);
            foreach (var line in layout.Lines)
            {
                Fill(ref w, line.Colour);
                Show(ref w, line.Text, line.Size, line.X, line.Baseline);
            }

            return new Parts(head, w.Written.ToArray());
        }
        finally
        {
            w.Dispose();
        }
    }

    /// <summary>
    /// The dark modules, each horizontal run one <c>re</c>, all filled at once in module units under one <c>cm</c>:
    /// small integers are cheap to write and read, neighbouring runs meet exactly (no hairline seams), and one fill
    /// means anti-aliasing draws no seams between them.
    /// </summary>
    private static void Qr(ref ContentStreamWriter w, StampPicture picture)
    {
        var layout = picture.Layout;
        var n = layout.QrModules;
        var box = layout.Qr;
        Fill(ref w, layout.QrInk);
        w.Raw("q\n"u8);

        // The module size is rounded down to what the stream can say (1/1000 pt) and the symbol centred in its
        // square, so the n modules written end inside it, never past it.
        var module = Math.Floor(box.Width / n * 1000) / 1000;
        var inset = (box.Width - module * n) / 2;
        w.Number(module);
        w.Raw("0 0 "u8);
        w.Number(module);
        w.Number(box.X + inset);
        w.Number(box.Y + inset);
        w.Raw("cm\n"u8);
        foreach (var run in picture.DarkRuns())
        {
            w.Integer(run.Start);
            w.Integer(n - 1 - run.Row); // rows run top-down, PDF's y axis bottom-up
            w.Integer(run.Length);
            w.Raw("1 re\n"u8);
        }

        w.Raw("f\nQ\n"u8);
    }

    private static void Panel(ref ContentStreamWriter w, StampPanel panel)
    {
        Fill(ref w, panel.Fill);
        Stroke(ref w, panel.Border);
        w.Number(panel.BorderWidth);
        w.Raw("w\n"u8);
        RoundedRect(ref w, panel.Box.Inset(panel.BorderWidth / 2), panel.Radius);
        w.Raw("B\n"u8);
    }

    private static void Emblem(ref ContentStreamWriter w, StampEmblem emblem, StampBox box)
    {
        if (box.Width <= 0 || box.Height <= 0) return;
        w.Raw("q\n"u8);
        w.Number(box.Width);
        w.Raw("0 0 "u8);
        w.Number(box.Height);
        w.Number(box.X);
        w.Number(box.Y);
        w.Raw("cm\n"u8);
        foreach (var shape in emblem.Shapes)
        {
            Fill(ref w, shape.Fill);
            foreach (var s in shape.Path)
            {
                switch (s.Verb)
                {
                    case PathVerb.Move:
                        Unit(ref w, s.X3, s.Y3);
                        w.Raw("m\n"u8);
                        break;
                    case PathVerb.Line:
                        Unit(ref w, s.X3, s.Y3);
                        w.Raw("l\n"u8);
                        break;
                    case PathVerb.Cubic:
                        Unit(ref w, s.X1, s.Y1);
                        Unit(ref w, s.X2, s.Y2);
                        Unit(ref w, s.X3, s.Y3);
                        w.Raw("c\n"u8);
                        break;
                    default:
                        w.Raw("h\n"u8);
                        break;
                }
            }

            w.Raw("f\n"u8);
        }

        w.Raw("Q\n"u8);
    }

    /// <summary>A unit-square coordinate under the emblem's <c>cm</c>, to 1/1000 of the emblem's side.</summary>
    private static void Unit(ref ContentStreamWriter w, double x, double y)
    {
        w.Number(Math.Round(x, 3));
        w.Number(Math.Round(y, 3));
    }

    private static void Serial(ref ContentStreamWriter w, StampSerialRun run, string serial)
    {
        Fill(ref w, run.Colour);
        if (run.HorizontalScale < 100)
        {
            w.Number(run.HorizontalScale);
            w.Raw("Tz\n"u8);
        }

        Show(ref w, serial, run.Size, run.X, run.Baseline);
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

    private static void Fill(ref ContentStreamWriter w, StampColour c)
    {
        Colour(ref w, c);
        w.Raw("rg\n"u8);
    }

    private static void Stroke(ref ContentStreamWriter w, StampColour c)
    {
        Colour(ref w, c);
        w.Raw("RG\n"u8);
    }

    private static void Colour(ref ContentStreamWriter w, StampColour c)
    {
        w.Number(c.R);
        w.Number(c.G);
        w.Number(c.B);
    }

    private static void Rect(ref ContentStreamWriter w, StampBox box)
    {
        w.Number(box.X);
        w.Number(box.Y);
        w.Number(box.Width);
        w.Number(box.Height);
        w.Raw("re\n"u8);
    }

    /// <summary>A rectangle with quarter-circle corners (cubic arcs with the 0.5523 handle).</summary>
    private static void RoundedRect(ref ContentStreamWriter w, StampBox b, double r)
    {
        r = Math.Min(r, Math.Min(b.Width, b.Height) / 2);
        var k = 0.5523 * r;
        w.Number(b.X + r); w.Number(b.Y); w.Raw("m\n"u8);
        w.Number(b.Right - r); w.Number(b.Y); w.Raw("l\n"u8);
        w.Number(b.Right - r + k); w.Number(b.Y); w.Number(b.Right); w.Number(b.Y + r - k); w.Number(b.Right); w.Number(b.Y + r); w.Raw("c\n"u8);
        w.Number(b.Right); w.Number(b.Top - r); w.Raw("l\n"u8);
        w.Number(b.Right); w.Number(b.Top - r + k); w.Number(b.Right - r + k); w.Number(b.Top); w.Number(b.Right - r); w.Number(b.Top); w.Raw("c\n"u8);
        w.Number(b.X + r); w.Number(b.Top); w.Raw("l\n"u8);
        w.Number(b.X + r - k); w.Number(b.Top); w.Number(b.X); w.Number(b.Top - r + k); w.Number(b.X); w.Number(b.Top - r); w.Raw("c\n"u8);
        w.Number(b.X); w.Number(b.Y + r); w.Raw("l\n"u8);
        w.Number(b.X); w.Number(b.Y + r - k); w.Number(b.X + r - k); w.Number(b.Y); w.Number(b.X + r); w.Number(b.Y); w.Raw("c\nh\n"u8);
    }
}
