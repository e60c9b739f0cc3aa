using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Ink;

/// <summary>
/// What the ink scan needs of a font: how many bytes a character code takes and how far each glyph advances (in
/// thousandths of text space). Widths come from /Widths (simple fonts) or /W and /DW (CID fonts); a font without them
/// (the standard 14) gets a width wider than most glyphs, so the box errs on the large side.
/// </summary>
internal sealed class FontMetrics
{
    private const double UnknownWidth = 700;
    private const int MaxWidthEntries = 65_536;

    private readonly double[]? _simple;
    private readonly int _firstChar;
    private readonly double _missing;
    private readonly Dictionary<int, double>? _cid;

    private FontMetrics(int bytesPerCode, double scale, double[]? simple, int firstChar, double missing, Dictionary<int, double>? cid)
    {
        BytesPerCode = bytesPerCode;
        Scale = scale;
        _simple = simple;
        _firstChar = firstChar;
        _missing = missing;
        _cid = cid;
    }

    /// <summary>1 for simple fonts, 2 for CID fonts with an Identity (or any two-byte) encoding.</summary>
    public int BytesPerCode { get; }

    /// <summary>Glyph space to text space: 1/1000, or a Type 3 font's /FontMatrix.</summary>
    public double Scale { get; }

    public static readonly FontMetrics Unknown = new(1, 0.001, null, 0, UnknownWidth, null);

    public double Width(int code)
    {
        if (_cid is not null) return _cid.TryGetValue(code, out var w) ? w : _missing;
        if (_simple is not null && code - _firstChar is >= 0 and var i && i < _simple.Length) return _simple[i];
        return _missing;
    }

    public static FontMetrics Read(PdfDocument doc, PdfDictionary font)
    {
        var subtype = (doc.Resolve(font["Subtype"]) as PdfName)?.Value;
        if (subtype == "Type0") return ReadComposite(doc, font);
        var scale = 0.001;
        if (subtype == "Type3" && doc.Resolve(font["FontMatrix"]) is PdfArray { Count: 6 } fm && Number(doc.Resolve(fm[0])) is { } a && a != 0) scale = Math.Abs(a);
        var descriptor = doc.ResolveDictionary(font["FontDescriptor"]);
        var missing = descriptor is not null && Number(doc.Resolve(descriptor["MissingWidth"])) is { } mw && mw > 0 ? mw : UnknownWidth;
        if (doc.Resolve(font["Widths"]) is not PdfArray widths || widths.Count > MaxWidthEntries) return new FontMetrics(1, scale, null, 0, subtype == "Type3" ? UnknownWidth / 1000 / scale : missing, null);
        var values = new double[widths.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Math.Abs(Number(doc.Resolve(widths[i])) ?? missing);
        var first = Number(doc.Resolve(font["FirstChar"])) is { } f ? (int)f : 0;
        return new FontMetrics(1, scale, values, first, missing, null);
    }

    private static FontMetrics ReadComposite(PdfDocument doc, PdfDictionary font)
    {
        // Predefined one-byte CMaps are rare; every two-byte one (Identity-H, UniGB-UCS2-H…) splits codes in twos.
        // An embedded CMap may mix lengths: two bytes is then the guess, and the width the widest glyph's.
        var encoding = doc.Resolve(font["Encoding"]);
        var identity = encoding is PdfName { Value: "Identity-H" or "Identity-V" };
        var bytes = encoding is PdfName ? 2 : 1;
        var descendant = doc.Resolve(font["DescendantFonts"]) is PdfArray { Count: > 0 } d ? doc.ResolveDictionary(d[0]) : null;
        var dw = descendant is not null && Number(doc.Resolve(descendant["DW"])) is { } v ? Math.Abs(v) : 1000;
        var widths = new Dictionary<int, double>();
        if (descendant is not null && doc.Resolve(descendant["W"]) is PdfArray w) ReadCidWidths(doc, w, widths);
        // Codes are CIDs only under Identity: otherwise every glyph gets the widest width.
        if (!identity) dw = Math.Max(dw, widths.Count > 0 ? widths.Values.Max() : dw);
        return new FontMetrics(bytes, 0.001, null, 0, dw, identity ? widths : null);
    }

    private static void ReadCidWidths(PdfDocument doc, PdfArray w, Dictionary<int, double> widths)
    {
        var i = 0;
        while (i < w.Count && widths.Count < MaxWidthEntries)
        {
            if (Number(doc.Resolve(w[i])) is not { } first) return;
            var next = i + 1 < w.Count ? doc.Resolve(w[i + 1]) : null;
            if (next is PdfArray list)
            {
                for (var k = 0; k < list.Count && widths.Count < MaxWidthEntries; k++) widths[(int)first + k] = Math.Abs(Number(doc.Resolve(list[k])) ?? 1000);
                i += 2;
            }
            else if (Number(next) is { } last && i + 2 < w.Count && Number(doc.Resolve(w[i + 2])) is { } width)
            {
                for (var c = (long)first; c <= last && widths.Count < MaxWidthEntries; c++) widths[(int)c] = Math.Abs(width);
                i += 3;
            }
            else return;
        }
    }

    internal static double? Number(PdfObject? o) => o switch
    {
        PdfInteger i => i.Value,
        PdfReal r when double.IsFinite(r.Value) => r.Value,
        _ => null,
    };
}
