using System.IO.Compression;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// The embedded (subset) TrueType font the stamp's text uses, described so that the writer can emit a simple
/// /TrueType font with /WinAnsiEncoding, its /FontDescriptor and a /FontFile2 stream. Built once, shared by
/// every stamp: the glyph set (digits, capital letters, space and a few signs) does not depend on the serial.
/// </summary>
/// <remarks>
/// Metrics are in PDF glyph space (1/1000 em). <see cref="Widths"/> covers char codes <see cref="FirstChar"/> …
/// <see cref="LastChar"/>; a code without a glyph in the subset gets the width of .notdef, which is what a viewer
/// would draw for it. The stamp only ever uses codes whose glyphs are in the subset.
/// </remarks>
public sealed record StampFont(
    string BaseFont,
    byte[] FontFile2,
    int FirstChar,
    int LastChar,
    IReadOnlyList<int> Widths,
    int Flags,
    IReadOnlyList<int> FontBBox,
    int ItalicAngle,
    int Ascent,
    int Descent,
    int CapHeight,
    int StemV)
{
    private static readonly Lazy<StampFont> DefaultFont = new(StampFontFactory.CreateDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The DejaVu Sans Bold subset every stamp uses, built on first use (a few milliseconds) and then shared.
    /// Thread-safe; the same instance for the life of the process.
    /// </summary>
    public static StampFont Default => DefaultFont.Value;

    /// <summary>
    /// <see cref="FontFile2"/> compressed once as a zlib stream, ready to write with /Filter /FlateDecode (and
    /// /Length1 = <see cref="FontFile2"/>.Length): compressing it per stamp would cost more than drawing the stamp.
    /// </summary>
    public byte[] FontFile2Deflated { get; } = Deflate(FontFile2);

    /// <summary>The advance of a character code in 1/1000 em (the /Widths value), or 0 outside FirstChar…LastChar.</summary>
    public int WidthOf(char code) => code >= FirstChar && code <= LastChar ? Widths[code - FirstChar] : 0;

    private static byte[] Deflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return buffer.ToArray();
    }
}
