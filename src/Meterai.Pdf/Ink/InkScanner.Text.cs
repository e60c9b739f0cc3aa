using Meterai.Pdf.Objects;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Ink;

/// <summary>Text (§9.4) and external objects (§8.8–8.10).</summary>
internal sealed partial class InkScanner
{
    /// <summary>Glyph boxes reach below the baseline and above the em: descenders, accents, tall scripts.</summary>
    private const double Descent = -0.35;
    private const double Ascent = 1.1;

    private void SetFont()
    {
        _gs.FontSize = Num(1);
        var name = _operands.Count > 0 ? _operands[0].Name : null;
        var fonts = _doc.ResolveDictionary(_resources?["Font"]);
        _gs.Font = name is not null && _doc.ResolveDictionary(fonts?[name]) is { } font ? Metrics(font) : FontMetrics.Unknown;
    }

    private FontMetrics Metrics(PdfDictionary font)
    {
        if (_fonts.TryGetValue(font, out var m)) return m;
        m = FontMetrics.Read(_doc, font);
        _fonts[font] = m;
        return m;
    }

    private void MoveText(double tx, double ty)
    {
        _tlm = new Matrix(1, 0, 0, 1, tx, ty).Times(_tlm);
        _tm = _tlm;
    }

    private void NextLine() => MoveText(0, -_gs.Leading);

    private void Show(int operand)
    {
        if (operand < _operands.Count && _operands[operand].Bytes is not null) ShowRun([_operands[operand]]);
    }

    private void ShowArray()
    {
        if (_operands.Count > 0 && _operands[0].Items is { } items) ShowRun(items);
    }

    /// <summary>
    /// One box for a whole Tj or TJ: from where the text starts to where it ends (adjustments included), an em high.
    /// The text matrix then moves past it, as the glyphs would have moved it.
    /// </summary>
    private void ShowRun(List<Operand> items)
    {
        var gs = _gs;
        var font = gs.Font;
        var size = gs.FontSize;
        double x = 0, min = 0, max = 0;
        foreach (var item in items)
        {
            if (item.Kind == OperandKind.Number)
            {
                x -= item.Number / 1000 * size * gs.HorizontalScale;
            }
            else if (item.Bytes is { } bytes)
            {
                for (var i = 0; i + font.BytesPerCode <= bytes.Length; i += font.BytesPerCode)
                {
                    var code = font.BytesPerCode == 2 ? (bytes[i] << 8) | bytes[i + 1] : bytes[i];
                    var advance = font.Width(code) * font.Scale * size + gs.CharSpacing + (font.BytesPerCode == 1 && code == 32 ? gs.WordSpacing : 0);
                    x += advance * gs.HorizontalScale;
                }

                if (bytes.Length > 4096) _bounds.Tick();
            }

            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        // Modes 3 (invisible) and 7 (clip only) leave no ink; the rest fill, stroke or both.
        if (gs.RenderMode is not (3 or 7) && size != 0)
        {
            var height = Math.Abs(size);
            var y1 = gs.Rise + Descent * height;
            var y2 = gs.Rise + Ascent * height;
            var stroke = gs.RenderMode is 1 or 2 or 5 or 6 ? gs.LineWidth : 0;
            var box = _tm.Times(gs.Ctm).Bounds(min - 0.1 * height, y1, max + 0.1 * height, y2);
            if (!(gs.FillWhite && gs.RenderMode is 0 or 4) || stroke > 0) PaintBox(box.Grown(stroke * gs.Ctm.MaxScale));
        }

        _tm = new Matrix(1, 0, 0, 1, x, 0).Times(_tm);
    }

    /// <summary>Do: an image fills the unit square; a form is interpreted in place, within its /BBox.</summary>
    private void Invoke(int depth)
    {
        if (_operands.Count == 0 || _operands[0].Name is not { } name) return;
        var xobjects = _doc.ResolveDictionary(_resources?["XObject"]);
        if (xobjects?[name] is not PdfReference reference || _doc.Resolve(reference) is not PdfStream stream) return;
        var subtype = (_doc.Resolve(stream.Dictionary["Subtype"]) as PdfName)?.Value;
        if (subtype == "Image")
        {
            PaintBox(_gs.Ctm.Bounds(0, 0, 1, 1));
            return;
        }

        if (subtype != "Form") return;
        if (depth >= MaxFormDepth || !_formsOnStack.Add(reference.Id.Number))
        {
            // Nested too deep, or calling itself: its ink is wherever its box is.
            PaintFormBox(stream);
            return;
        }

        _bounds.Form();
        var saved = _gs;
        var tm = _tm;
        var tlm = _tlm;
        _gs = saved.Clone();
        try
        {
            if (_doc.Resolve(stream.Dictionary["Matrix"]) is PdfArray { Count: 6 } m)
            {
                _gs.Ctm = new Matrix(N(m[0]), N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5])).Times(_gs.Ctm);
            }

            if (PdfRect.From(stream.Dictionary["BBox"], o => _doc.Resolve(o)) is { } bbox)
            {
                _gs.Clip = _gs.Clip.Intersect(_gs.Ctm.Bounds(bbox.X1, bbox.Y1, bbox.X2, bbox.Y2));
            }

            var content = Decode(stream, reference.Id);
            var resources = _doc.ResolveDictionary(stream.Dictionary["Resources"]) ?? _resources;
            var depthSaved = _saved.Count;
            var floor = _stackFloor;
            _stackFloor = depthSaved;
            Run(content, resources, depth + 1);
            while (_saved.Count > depthSaved) _saved.Pop(); // a form's unbalanced q
            _stackFloor = floor;
        }
        finally
        {
            _gs = saved;
            _tm = tm;
            _tlm = tlm;
            _formsOnStack.Remove(reference.Id.Number);
        }
    }

    private void PaintFormBox(PdfStream stream)
    {
        var ctm = _gs.Ctm;
        if (_doc.Resolve(stream.Dictionary["Matrix"]) is PdfArray { Count: 6 } m) ctm = new Matrix(N(m[0]), N(m[1]), N(m[2]), N(m[3]), N(m[4]), N(m[5])).Times(ctm);
        PaintBox(PdfRect.From(stream.Dictionary["BBox"], o => _doc.Resolve(o)) is { } b ? ctm.Bounds(b.X1, b.Y1, b.X2, b.Y2) : _gs.Clip);
    }

    private double N(PdfObject o) => FontMetrics.Number(_doc.Resolve(o)) ?? 0;
}
