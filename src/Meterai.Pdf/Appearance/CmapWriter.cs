using System.Buffers.Binary;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Writes a cmap table holding one (3,1) Windows Unicode BMP subtable in format 4. That subtable is what a PDF viewer
/// consults for a non-symbolic TrueType font with /WinAnsiEncoding (char code → glyph name → Unicode → glyph id),
/// and what PDF/A asks such a font program to carry.
/// </summary>
internal static class CmapWriter
{
    /// <param name="map">Characters and their glyph ids, sorted by character, no duplicates, none equal to U+FFFF.</param>
    public static byte[] Write(IReadOnlyList<(char Char, int GlyphId)> map)
    {
        // One segment per run of consecutive characters whose glyph ids are consecutive too, so every segment maps
        // through idDelta alone and no glyphIdArray is needed; then the mandatory closing 0xFFFF segment.
        var segments = new List<(int Start, int End, int Delta)>();
        foreach (var (c, g) in map)
        {
            if (segments.Count > 0)
            {
                var last = segments[^1];
                if (c == last.End + 1 && g - c == last.Delta)
                {
                    segments[^1] = last with { End = c };
                    continue;
                }
            }

            segments.Add((c, c, g - c));
        }

        segments.Add((0xFFFF, 0xFFFF, 1));

        var segCount = segments.Count;
        var subtableLength = 16 + 8 * segCount;
        var table = new byte[12 + subtableLength];
        var span = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, 0); // version
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 1); // one encoding record
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 3); // Windows
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], 1); // Unicode BMP
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], 12);

        var sub = span[12..];
        var entrySelector = 0;
        while (1 << (entrySelector + 1) <= segCount) entrySelector++;
        var searchRange = 2 << entrySelector;
        BinaryPrimitives.WriteUInt16BigEndian(sub, 4);
        BinaryPrimitives.WriteUInt16BigEndian(sub[2..], (ushort)subtableLength);
        BinaryPrimitives.WriteUInt16BigEndian(sub[4..], 0); // language
        BinaryPrimitives.WriteUInt16BigEndian(sub[6..], (ushort)(2 * segCount));
        BinaryPrimitives.WriteUInt16BigEndian(sub[8..], (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(sub[10..], (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(sub[12..], (ushort)(2 * segCount - searchRange));
        int ends = 14, starts = ends + 2 * segCount + 2, deltas = starts + 2 * segCount; // reservedPad sits before starts
        for (var i = 0; i < segCount; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(sub[(ends + 2 * i)..], (ushort)segments[i].End);
            BinaryPrimitives.WriteUInt16BigEndian(sub[(starts + 2 * i)..], (ushort)segments[i].Start);
            BinaryPrimitives.WriteInt16BigEndian(sub[(deltas + 2 * i)..], unchecked((short)segments[i].Delta));
            // idRangeOffset stays 0 (the array was zero-initialised).
        }

        return table;
    }
}
