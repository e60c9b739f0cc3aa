using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Ink;

/// <summary>
/// Interprets what a page draws (§8–9: its content streams, the form XObjects they call, its annotations) just far
/// enough to know where ink may land, and marks it on an <see cref="OccupancyGrid"/> in default user space. Boxes
/// are conservative: glyphs get their advance width and a full em of height (plus descenders), strokes their whole
/// width, curves their control points, images and shadings their whole box within the clip. White paint erases.
/// Invisible text (render mode 3, the text layer of scanned pages) leaves no ink.
/// </summary>
internal sealed partial class InkScanner
{
    private const int MaxFormDepth = 12;
    private const int MaxOperands = 64;

    private readonly PdfDocument _doc;
    private readonly OccupancyGrid _grid;
    private readonly InkScanBounds _bounds;
    private readonly Dictionary<PdfDictionary, FontMetrics> _fonts = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<int> _formsOnStack = [];
    private readonly List<Operand> _operands = new(16);
    private readonly Stack<GraphicsState> _saved = new();
    private GraphicsState _gs = new();
    private Matrix _tm = Matrix.Identity;
    private Matrix _tlm = Matrix.Identity;
    private InkBox _path = InkBox.Empty;
    private int _pathRects;
    private bool _pathOther;
    private bool _clipPending;
    private PdfDictionary? _resources;

    /// <summary>Saved states below this belong to the content that called the current form: its Q may not restore them.</summary>
    private int _stackFloor;

    public InkScanner(PdfDocument doc, OccupancyGrid grid, InkScanBounds bounds)
    {
        _doc = doc;
        _grid = grid;
        _bounds = bounds;
    }

    /// <summary>Marks the page's ink: its content, then its visible annotations (drawn over it).</summary>
    public void ScanPage(PageInfo page)
    {
        _gs = new GraphicsState { Clip = InkBox.Of(page.VisibleBox) };
        var resources = InheritedResources(page.Dictionary);
        var contents = _doc.Resolve(page.Dictionary["Contents"]);
        var parts = contents is PdfArray a ? a.ToList() : page.Dictionary["Contents"] is { } single ? [single] : [];
        var data = new List<byte[]>();
        foreach (var part in parts)
        {
            if (part is PdfReference r && _doc.Resolve(r) is PdfStream s) data.Add(Decode(s, r.Id));
            else if (part is not null && _doc.Resolve(part) is not PdfNull) throw new InkUnknownException("a page's /Contents is not a stream");
        }

        // Several streams are one content stream, split anywhere between tokens (§7.8.2).
        var joined = data.Count == 1 ? data[0] : JoinWithSpaces(data);
        Run(joined, resources, depth: 0);
        MarkAnnotations(page);
    }

    private void MarkAnnotations(PageInfo page)
    {
        if (_doc.Resolve(page.Dictionary["Annots"]) is not PdfArray annots) return;
        foreach (var entry in annots)
        {
            _bounds.Tick();
            if (_doc.ResolveDictionary(entry) is not { } annot) continue;
            var subtype = (_doc.Resolve(annot["Subtype"]) as PdfName)?.Value;
            if (subtype is "Link" or "Popup") continue;
            var flags = FontMetrics.Number(_doc.Resolve(annot["F"])) is { } f ? (long)f : 0;
            if ((flags & (2 | 32)) != 0) continue; // Hidden, NoView
            if (PdfRect.From(annot["Rect"], o => _doc.Resolve(o)) is { } rect) _grid.Paint(InkBox.Of(rect).Intersect(InkBox.Of(page.VisibleBox)));
        }
    }

    private PdfDictionary? InheritedResources(PdfDictionary page)
    {
        var node = page;
        for (var i = 0; i < _doc.Limits.MaxPageTreeDepth && node is not null; i++)
        {
            if (_doc.ResolveDictionary(node["Resources"]) is { } r) return r;
            node = _doc.ResolveDictionary(node["Parent"]);
        }

        return null;
    }

    private byte[] Decode(PdfStream stream, ObjectId id)
    {
        var data = ContentDecoder.Decode(_doc, stream, id, _doc.Limits.MaxDecodedStreamBytes);
        _bounds.Decoded(data.Length);
        return data;
    }

    private static byte[] JoinWithSpaces(List<byte[]> parts)
    {
        var joined = new byte[parts.Sum(p => p.Length + 1)];
        var at = 0;
        foreach (var p in parts)
        {
            p.CopyTo(joined, at);
            at += p.Length;
            joined[at++] = (byte)'\n';
        }

        return joined;
    }

    /// <summary>Interprets one content stream with its resources.</summary>
    private void Run(byte[] content, PdfDictionary? resources, int depth)
    {
        var outer = _resources;
        _resources = resources;
        var lexer = new Lexer(new MemoryByteSource(content), _doc.Limits.MaxObjectBytes);
        _operands.Clear();
        try
        {
            while (true)
            {
                var kind = lexer.Next();
                if (kind == TokenKind.Eof) break;
                if (kind == TokenKind.Keyword)
                {
                    _bounds.Tick();
                    var op = lexer.TokenBytes;
                    if (op.SequenceEqual("BI"u8)) SkipInlineImage(lexer, content);
                    else Execute(op, depth);
                    _operands.Clear();
                    continue;
                }

                var operand = ReadOperand(lexer, kind, 0);
                if (_operands.Count < MaxOperands) _operands.Add(operand);
            }
        }
        finally
        {
            _resources = outer;
        }
    }

    private static Operand ReadOperand(Lexer lexer, TokenKind kind, int depth)
    {
        switch (kind)
        {
            case TokenKind.Integer: return Operand.Of(lexer.IntValue);
            case TokenKind.Real: return Operand.Of(lexer.RealValue);
            case TokenKind.Name: return new Operand(OperandKind.Name, 0, System.Text.Encoding.Latin1.GetString(lexer.TokenBytes), null, null);
            case TokenKind.String or TokenKind.HexString: return new Operand(OperandKind.String, 0, null, lexer.TokenBytes.ToArray(), null);
            case TokenKind.ArrayStart:
                var items = new List<Operand>();
                while (true)
                {
                    var next = lexer.Next();
                    if (next is TokenKind.ArrayEnd or TokenKind.Eof) break;
                    if (next == TokenKind.Keyword) continue; // malformed: an operator inside an array
                    if (depth < 8 && items.Count < 1 << 16) items.Add(ReadOperand(lexer, next, depth + 1));
                    else ReadOperand(lexer, next, depth + 1);
                }

                return new Operand(OperandKind.Array, 0, null, null, items);
            case TokenKind.DictStart:
                var nesting = 1;
                while (nesting > 0)
                {
                    var next = lexer.Next();
                    if (next == TokenKind.Eof) break;
                    if (next == TokenKind.DictStart) nesting++;
                    else if (next == TokenKind.DictEnd) nesting--;
                }

                return new Operand(OperandKind.Other, 0, null, null, null);
            default: return new Operand(OperandKind.Other, 0, null, null, null);
        }
    }

    /// <summary>BI … ID data EI: the image fills the unit square; its data is skipped up to an EI that stands alone.</summary>
    private void SkipInlineImage(Lexer lexer, byte[] content)
    {
        while (true)
        {
            var kind = lexer.Next();
            if (kind == TokenKind.Eof) return;
            if (kind == TokenKind.Keyword && lexer.TokenBytes.SequenceEqual("ID"u8)) break;
        }

        var at = (int)lexer.Position + 1;
        while (at + 1 < content.Length)
        {
            if (content[at] == 'E' && content[at + 1] == 'I' && Lexer.IsWhitespace(content[at - 1]) && (at + 2 >= content.Length || !Lexer.IsRegular(content[at + 2]))) break;
            at++;
            if ((at & 0xFFFF) == 0) _bounds.Tick();
        }

        lexer.Position = Math.Min(content.Length, at + 2);
        PaintBox(_gs.Ctm.Bounds(0, 0, 1, 1));
    }

    private void PaintBox(InkBox box)
    {
        var clipped = box.Intersect(_gs.Clip);
        if (clipped.IsEmpty) return;
        _grid.Paint(clipped);
        _bounds.Cells(_grid.CellsTouched);
    }

    private void EraseBox(InkBox box)
    {
        _grid.Erase(box.Intersect(_gs.Clip));
        _bounds.Cells(_grid.CellsTouched);
    }
}
