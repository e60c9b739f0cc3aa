using System.IO.Compression;
using System.Runtime.CompilerServices;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// The parts of the stamp's font that never change between stamps, built once per font and shared by every stamp
/// (and thread): the compressed font program and the /Widths and /FontBBox arrays. Only the object numbers that tie
/// them together differ per document.
/// </summary>
internal sealed class StampFontCache
{
    private readonly ConditionalWeakTable<StampFont, FontParts> _parts = [];

    internal sealed record FontParts(byte[] CompressedProgram, int ProgramLength, PdfArray Widths, PdfArray FontBBox);

    public FontParts Get(StampFont font) => _parts.GetValue(font, Build);

    private static FontParts Build(StampFont font)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(font.FontFile2);
        var widths = new PdfArray(font.Widths.Count);
        foreach (var w in font.Widths) widths.Add(PdfInteger.Of(w));
        var bbox = new PdfArray(4);
        foreach (var v in font.FontBBox) bbox.Add(PdfInteger.Of(v));
        return new FontParts(compressed.ToArray(), font.FontFile2.Length, widths, bbox);
    }
}
