namespace Meterai.Pdf.Appearance;

/// <summary>
/// The embedded (subset) TrueType font the stamp's text uses, described so that the writer can emit a simple
/// /TrueType font with /WinAnsiEncoding, its /FontDescriptor and a /FontFile2 stream. Built once, shared by
/// every stamp: the glyph set (digits, capital letters, space and a few signs) does not depend on the serial.
/// </summary>
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
    int StemV);
