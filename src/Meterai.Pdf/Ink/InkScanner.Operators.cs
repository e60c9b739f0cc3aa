using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Ink;

/// <summary>The operators (§A.2): those that move, paint, clip, colour, show text or call a form; the rest are ignored.</summary>
internal sealed partial class InkScanner
{
    private void Execute(ReadOnlySpan<byte> op, int depth)
    {
        switch (op.Length)
        {
            case 1: One(op[0]); break;
            case 2: Two((char)op[0], (char)op[1], depth); break;
            case 3 when op.SequenceEqual("scn"u8): SetColour(fill: true); break;
            case 3 when op.SequenceEqual("SCN"u8): SetColour(fill: false); break;
        }
    }

    private void One(byte op)
    {
        switch ((char)op)
        {
            case 'q':
                if (_saved.Count < 1024) _saved.Push(_gs.Clone());
                break;
            case 'Q':
                if (_saved.Count > _stackFloor) _gs = _saved.Pop();
                break;
            case 'w': _gs.LineWidth = Math.Abs(Num(0)); break;
            case 'm' or 'l': AddPoints(2); break;
            case 'c': AddPoints(6); break;
            case 'v' or 'y': AddPoints(4); break;
            case 'h': break;
            case 'S' or 's': Paint(fill: false, stroke: true); break;
            case 'f' or 'F': Paint(fill: true, stroke: false); break;
            case 'B' or 'b': Paint(fill: true, stroke: true); break;
            case 'n': Paint(fill: false, stroke: false); break;
            case 'W': _clipPending = true; break;
            case 'g': SetDevice(fill: true, ColourKind.Gray); break;
            case 'G': SetDevice(fill: false, ColourKind.Gray); break;
            case 'k': SetDevice(fill: true, ColourKind.Cmyk); break;
            case 'K': SetDevice(fill: false, ColourKind.Cmyk); break;
            case '\'':
                NextLine();
                Show(0);
                break;
            case '"':
                _gs.WordSpacing = Num(0);
                _gs.CharSpacing = Num(1);
                NextLine();
                Show(2);
                break;
        }
    }

    private void Two(char a, char b, int depth)
    {
        switch (a, b)
        {
            case ('c', 'm'):
                if (_operands.Count >= 6) _gs.Ctm = new Matrix(Num(0), Num(1), Num(2), Num(3), Num(4), Num(5)).Times(_gs.Ctm);
                break;
            case ('r', 'e'):
                if (_operands.Count < 4) break;
                double x = Num(0), y = Num(1), w = Num(2), h = Num(3);
                _path = _path.Union(_gs.Ctm.Bounds(x, y, x + w, y + h));
                if (_gs.Ctm.KeepsAxes) _pathRects++;
                else _pathOther = true;
                break;
            case ('f', '*'): Paint(fill: true, stroke: false); break;
            case ('B', '*') or ('b', '*'): Paint(fill: true, stroke: true); break;
            case ('W', '*'): _clipPending = true; break;
            case ('r', 'g'): SetDevice(fill: true, ColourKind.Rgb); break;
            case ('R', 'G'): SetDevice(fill: false, ColourKind.Rgb); break;
            case ('c', 's'): SetSpace(fill: true); break;
            case ('C', 'S'): SetSpace(fill: false); break;
            case ('s', 'c'): SetColour(fill: true); break;
            case ('S', 'C'): SetColour(fill: false); break;
            case ('s', 'h'): PaintBox(_gs.Clip); break;
            case ('D', 'o'): Invoke(depth); break;
            case ('g', 's'): ExtGState(); break;
            case ('B', 'T'): _tm = _tlm = Matrix.Identity; break;
            case ('T', 'c'): _gs.CharSpacing = Num(0); break;
            case ('T', 'w'): _gs.WordSpacing = Num(0); break;
            case ('T', 'z'): _gs.HorizontalScale = Num(0) / 100; break;
            case ('T', 'L'): _gs.Leading = Num(0); break;
            case ('T', 's'): _gs.Rise = Num(0); break;
            case ('T', 'r'): _gs.RenderMode = (int)Num(0); break;
            case ('T', 'f'): SetFont(); break;
            case ('T', 'd'): MoveText(Num(0), Num(1)); break;
            case ('T', 'D'):
                _gs.Leading = -Num(1);
                MoveText(Num(0), Num(1));
                break;
            case ('T', 'm'):
                if (_operands.Count >= 6) _tm = _tlm = new Matrix(Num(0), Num(1), Num(2), Num(3), Num(4), Num(5));
                break;
            case ('T', '*'): NextLine(); break;
            case ('T', 'j'): Show(0); break;
            case ('T', 'J'): ShowArray(); break;
        }
    }

    private double Num(int i) => i < _operands.Count && _operands[i].Kind == OperandKind.Number && double.IsFinite(_operands[i].Number) ? _operands[i].Number : 0;

    private void AddPoints(int count)
    {
        if (_operands.Count < count) return;
        for (var i = 0; i + 1 < count; i += 2) _path = _path.Including(_gs.Ctm.Apply(Num(i), Num(i + 1)));
        _pathOther = true;
    }

    /// <summary>Ends the path: paints it (unless white), erases under a white rectangle fill, applies a pending clip.</summary>
    private void Paint(bool fill, bool stroke)
    {
        var path = _path;
        if (!path.IsEmpty)
        {
            var inks = (fill && !_gs.FillWhite) || (stroke && !_gs.StrokeWhite);
            if (inks)
            {
                // A stroke reaches half its width beyond the path (more at mitred corners); hairlines still take a pixel.
                var grow = stroke ? _gs.LineWidth * _gs.Ctm.MaxScale + 0.5 : 0;
                PaintBox(path.Grown(grow));
            }
            else if (fill && !stroke && _pathRects == 1 && !_pathOther && _gs.FillOpaque && _gs.ClipExact)
            {
                EraseBox(path);
            }
        }

        if (_clipPending)
        {
            _gs.Clip = _gs.Clip.Intersect(path.IsEmpty ? _gs.Clip : path);
            _gs.ClipExact &= _pathRects == 1 && !_pathOther;
        }

        _clipPending = false;
        _path = InkBox.Empty;
        _pathRects = 0;
        _pathOther = false;
    }

    private void SetDevice(bool fill, ColourKind kind)
    {
        if (fill) _gs.FillSpace = kind;
        else _gs.StrokeSpace = kind;
        SetColour(fill);
    }

    private void SetSpace(bool fill)
    {
        var name = _operands.Count > 0 ? _operands[0].Name : null;
        var kind = SpaceKind(name);
        // A new colour space starts at its initial colour: black, or full tint (§8.6.8).
        if (fill)
        {
            _gs.FillSpace = kind;
            _gs.FillWhite = false;
        }
        else
        {
            _gs.StrokeSpace = kind;
            _gs.StrokeWhite = false;
        }
    }

    private ColourKind SpaceKind(string? name)
    {
        switch (name)
        {
            case "DeviceGray" or "G" or "CalGray": return ColourKind.Gray;
            case "DeviceRGB" or "RGB" or "CalRGB": return ColourKind.Rgb;
            case "DeviceCMYK" or "CMYK": return ColourKind.Cmyk;
            case null: return ColourKind.Other;
        }

        var spaces = _doc.ResolveDictionary(_resources?["ColorSpace"]);
        var space = _doc.Resolve(spaces?[name]);
        if (space is PdfName n) return SpaceKind(n.Value);
        if (space is not PdfArray { Count: > 0 } a || _doc.Resolve(a[0]) is not PdfName family) return ColourKind.Other;
        switch (family.Value)
        {
            case "ICCBased" when a.Count > 1 && _doc.ResolveDictionary(a[1]) is { } icc:
                return FontMetrics.Number(_doc.Resolve(icc["N"])) switch { 1 => ColourKind.Gray, 3 => ColourKind.Rgb, 4 => ColourKind.Cmyk, _ => ColourKind.Other };
            case "CalRGB" or "Lab": return family.Value == "Lab" ? ColourKind.Other : ColourKind.Rgb;
            case "CalGray": return ColourKind.Gray;
            case "Separation" or "DeviceN":
                // The tint /None paints nothing; /All and others paint where the tint is above zero.
                return ColourKind.Tint;
            default: return ColourKind.Other;
        }
    }

    private void SetColour(bool fill)
    {
        var kind = fill ? _gs.FillSpace : _gs.StrokeSpace;
        var n = 0;
        var white = true;
        foreach (var o in _operands)
        {
            if (o.Kind != OperandKind.Number) return; // a pattern name: not white
            n++;
            white &= kind switch
            {
                ColourKind.Gray or ColourKind.Rgb => o.Number >= 0.999,
                ColourKind.Cmyk or ColourKind.Tint => o.Number <= 0.001,
                _ => false,
            };
        }

        white &= n > 0;
        if (fill) _gs.FillWhite = white;
        else _gs.StrokeWhite = white;
    }

    private void ExtGState()
    {
        if (_operands.Count == 0 || _operands[0].Name is not { } name) return;
        var states = _doc.ResolveDictionary(_resources?["ExtGState"]);
        if (_doc.ResolveDictionary(states?[name]) is not { } gs) return;
        if (FontMetrics.Number(_doc.Resolve(gs["LW"])) is { } lw) _gs.LineWidth = Math.Abs(lw);
        // White that is see-through, masked or blended (Multiply keeps what is under it) does not erase.
        if (FontMetrics.Number(_doc.Resolve(gs["ca"])) is { } ca && ca < 0.999) _gs.FillOpaque = false;
        if (_doc.Resolve(gs["SMask"]) is { } mask and not PdfNull && mask is not PdfName { Value: "None" }) _gs.FillOpaque = false;
        if (_doc.Resolve(gs["BM"]) is { } bm and not PdfNull && bm is not PdfName { Value: "Normal" or "Compatible" }) _gs.FillOpaque = false;
        if (_doc.Resolve(gs["Font"]) is PdfArray { Count: 2 } font && _doc.ResolveDictionary(font[0]) is { } dict)
        {
            _gs.Font = Metrics(dict);
            _gs.FontSize = FontMetrics.Number(_doc.Resolve(font[1])) ?? _gs.FontSize;
        }
    }
}
