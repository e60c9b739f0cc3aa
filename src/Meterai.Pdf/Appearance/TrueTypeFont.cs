using System.Buffers.Binary;
using Meterai.Core.Common;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// A read-only view of a TrueType (glyf-outline) font: its table directory, per-glyph outlines and metrics, and
/// character → glyph lookup through its format-4 Unicode cmap. Every offset and length the other methods rely on is
/// checked once in <see cref="Parse"/>, so a malformed font becomes an <see cref="Error"/> there and never an
/// out-of-range read later. Used by the subsetter on the source font and, in tests, on the subset it wrote.
/// </summary>
internal sealed class TrueTypeFont
{
    private const uint TrueTypeVersion = 0x00010000;
    private const uint AppleTrueTypeVersion = 0x74727565; // 'true'
    private const uint HeadMagic = 0x5F0F3CF5;

    private readonly byte[] _data;
    private readonly Dictionary<uint, (int Offset, int Length)> _tables;
    private readonly int[] _loca;
    private readonly (int Offset, int Length) _cmap4;

    private TrueTypeFont(byte[] data, Dictionary<uint, (int, int)> tables, int[] loca, (int, int) cmap4, int unitsPerEm, int numberOfHMetrics)
    {
        _data = data;
        _tables = tables;
        _loca = loca;
        _cmap4 = cmap4;
        UnitsPerEm = unitsPerEm;
        NumberOfHMetrics = numberOfHMetrics;
    }

    public int UnitsPerEm { get; }

    public int NumGlyphs => _loca.Length - 1;

    public int NumberOfHMetrics { get; }

    public static Result<TrueTypeFont> Parse(byte[] data)
    {
        if (data.Length < 12) return Fail(FontErrors.NotTrueType, "shorter than an sfnt header");
        var version = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (version != TrueTypeVersion && version != AppleTrueTypeVersion)
        {
            return Fail(FontErrors.NotTrueType, $"sfnt version 0x{version:X8} is not TrueType outlines (CFF or a collection?)");
        }

        int numTables = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4));
        if (12 + 16 * numTables > data.Length) return Fail(FontErrors.Malformed, "table directory runs past the end");
        var tables = new Dictionary<uint, (int, int)>(numTables);
        for (var i = 0; i < numTables; i++)
        {
            var rec = data.AsSpan(12 + 16 * i, 16);
            var tag = BinaryPrimitives.ReadUInt32BigEndian(rec);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(rec[8..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(rec[12..]);
            if ((ulong)offset + length > (ulong)data.Length) return Fail(FontErrors.Malformed, $"table '{TagName(tag)}' runs past the end");
            tables[tag] = ((int)offset, (int)length);
        }

        foreach (var (tag, min) in new[] { ("head", 54), ("hhea", 36), ("maxp", 6), ("hmtx", 4), ("loca", 4), ("glyf", 0), ("cmap", 4) })
        {
            if (!tables.TryGetValue(Tag(tag), out var t)) return Fail(FontErrors.Malformed, $"required table '{tag}' is missing");
            if (t.Item2 < min) return Fail(FontErrors.Malformed, $"table '{tag}' is truncated");
        }

        var head = Slice(data, tables[Tag("head")]);
        if (BinaryPrimitives.ReadUInt32BigEndian(head[12..]) != HeadMagic) return Fail(FontErrors.Malformed, "head.magicNumber is wrong");
        int unitsPerEm = BinaryPrimitives.ReadUInt16BigEndian(head[18..]);
        if (unitsPerEm is < 16 or > 16384) return Fail(FontErrors.Malformed, $"head.unitsPerEm {unitsPerEm} is out of range");
        var locFormat = BinaryPrimitives.ReadInt16BigEndian(head[50..]);
        if (locFormat is not (0 or 1)) return Fail(FontErrors.Malformed, $"head.indexToLocFormat {locFormat} is unknown");

        int numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(Slice(data, tables[Tag("maxp")])[4..]);
        int numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(Slice(data, tables[Tag("hhea")])[34..]);
        if (numGlyphs < 1 || numberOfHMetrics < 1 || numberOfHMetrics > numGlyphs)
        {
            return Fail(FontErrors.Malformed, "maxp.numGlyphs / hhea.numberOfHMetrics are inconsistent");
        }

        if (tables[Tag("hmtx")].Item2 < 4 * numberOfHMetrics + 2 * (numGlyphs - numberOfHMetrics))
        {
            return Fail(FontErrors.Malformed, "hmtx is shorter than numGlyphs needs");
        }

        var locaResult = ReadLoca(Slice(data, tables[Tag("loca")]), locFormat, numGlyphs, tables[Tag("glyf")].Item2);
        if (!locaResult.IsOk) return locaResult.Error;
        var loca = locaResult.Value;

        var cmapResult = FindCmap4(data, tables[Tag("cmap")]);
        if (!cmapResult.IsOk) return cmapResult.Error;

        return new TrueTypeFont(data, tables, loca, cmapResult.Value, unitsPerEm, numberOfHMetrics);
    }

    public bool HasTable(string tag) => _tables.ContainsKey(Tag(tag));

    /// <summary>The bytes of a table, or an empty span when the font has no such table.</summary>
    public ReadOnlySpan<byte> Table(string tag) =>
        _tables.TryGetValue(Tag(tag), out var t) ? Slice(_data, t) : ReadOnlySpan<byte>.Empty;

    /// <summary>The glyph's outline record in glyf (empty for a glyph without contours, e.g. space).</summary>
    public ReadOnlySpan<byte> Glyph(int glyphId)
    {
        var glyf = Table("glyf");
        return glyf[_loca[glyphId].._loca[glyphId + 1]];
    }

    public (int Advance, int LeftSideBearing) HorizontalMetrics(int glyphId)
    {
        var hmtx = Table("hmtx");
        if (glyphId < NumberOfHMetrics)
        {
            return (BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * glyphId)..]), BinaryPrimitives.ReadInt16BigEndian(hmtx[(4 * glyphId + 2)..]));
        }

        // Glyphs past numberOfHMetrics share the last advance and keep only their side bearing.
        int advance = BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * (NumberOfHMetrics - 1))..]);
        int lsb = BinaryPrimitives.ReadInt16BigEndian(hmtx[(4 * NumberOfHMetrics + 2 * (glyphId - NumberOfHMetrics))..]);
        return (advance, lsb);
    }

    /// <summary>The glyph's bounding box from its header, or null when it has no outline.</summary>
    public GlyphBounds? Bounds(int glyphId)
    {
        var g = Glyph(glyphId);
        if (g.IsEmpty) return null;
        return new GlyphBounds(
            BinaryPrimitives.ReadInt16BigEndian(g[2..]),
            BinaryPrimitives.ReadInt16BigEndian(g[4..]),
            BinaryPrimitives.ReadInt16BigEndian(g[6..]),
            BinaryPrimitives.ReadInt16BigEndian(g[8..]));
    }

    /// <summary>The glyph id the font's format-4 cmap gives a BMP character; 0 (.notdef) when it has none.</summary>
    public int GlyphId(char c)
    {
        var sub = Slice(_data, _cmap4);
        int segCount = BinaryPrimitives.ReadUInt16BigEndian(sub[6..]) / 2;
        int endCodes = 14, startCodes = endCodes + 2 * segCount + 2, deltas = startCodes + 2 * segCount, rangeOffsets = deltas + 2 * segCount;
        for (var i = 0; i < segCount; i++)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(sub[(endCodes + 2 * i)..]) < c) continue;
            int start = BinaryPrimitives.ReadUInt16BigEndian(sub[(startCodes + 2 * i)..]);
            if (start > c) return 0;
            int delta = BinaryPrimitives.ReadInt16BigEndian(sub[(deltas + 2 * i)..]);
            int rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(sub[(rangeOffsets + 2 * i)..]);
            if (rangeOffset == 0) return (c + delta) & 0xFFFF;

            // idRangeOffset counts bytes from its own slot to the glyph id in glyphIdArray.
            var at = rangeOffsets + 2 * i + rangeOffset + 2 * (c - start);
            if (at + 2 > sub.Length) return 0;
            int g = BinaryPrimitives.ReadUInt16BigEndian(sub[at..]);
            return g == 0 ? 0 : (g + delta) & 0xFFFF;
        }

        return 0;
    }

    public static uint Tag(string tag) =>
        (uint)tag[0] << 24 | (uint)tag[1] << 16 | (uint)tag[2] << 8 | tag[3];

    public static string TagName(uint tag) =>
        new([(char)(tag >> 24), (char)((tag >> 16) & 0xFF), (char)((tag >> 8) & 0xFF), (char)(tag & 0xFF)]);

    private static ReadOnlySpan<byte> Slice(byte[] data, (int Offset, int Length) t) => data.AsSpan(t.Offset, t.Length);

    private static Result<int[]> ReadLoca(ReadOnlySpan<byte> loca, int format, int numGlyphs, int glyfLength)
    {
        var size = format == 0 ? 2 : 4;
        if (loca.Length < size * (numGlyphs + 1)) return Fail(FontErrors.Malformed, "loca is shorter than numGlyphs needs");
        var offsets = new int[numGlyphs + 1];
        for (var i = 0; i <= numGlyphs; i++)
        {
            // The short format stores offset / 2.
            long o = format == 0 ? 2L * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * i)..]) : BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * i)..]);
            if (o > glyfLength || (i > 0 && o < offsets[i - 1])) return Fail(FontErrors.Malformed, $"loca entry {i} is out of order or past glyf");
            offsets[i] = (int)o;
            if (i > 0)
            {
                var len = offsets[i] - offsets[i - 1];
                if (len is > 0 and < 10) return Fail(FontErrors.Malformed, $"glyph {i - 1} is shorter than a glyph header");
            }
        }

        return offsets;
    }

    private static Result<(int, int)> FindCmap4(byte[] data, (int Offset, int Length) cmap)
    {
        var table = Slice(data, cmap);
        int count = BinaryPrimitives.ReadUInt16BigEndian(table[2..]);
        if (4 + 8 * count > table.Length) return Fail(FontErrors.Malformed, "cmap encoding records run past the table");
        (int, int)? best = null;
        var bestRank = int.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var rec = table.Slice(4 + 8 * i, 8);
            int platform = BinaryPrimitives.ReadUInt16BigEndian(rec);
            int encoding = BinaryPrimitives.ReadUInt16BigEndian(rec[2..]);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(rec[4..]);

            // Windows Unicode BMP first, then any Unicode-platform subtable.
            var rank = (platform, encoding) switch { (3, 1) => 0, (0, _) => 1, _ => int.MaxValue };
            if (rank >= bestRank || offset + 14L > table.Length) continue;
            var sub = table[(int)offset..];
            if (BinaryPrimitives.ReadUInt16BigEndian(sub) != 4) continue;
            int length = BinaryPrimitives.ReadUInt16BigEndian(sub[2..]);
            int segCountX2 = BinaryPrimitives.ReadUInt16BigEndian(sub[6..]);
            if (length > sub.Length || segCountX2 == 0 || segCountX2 % 2 != 0 || 16 + 4 * segCountX2 > length)
            {
                return Fail(FontErrors.Malformed, "cmap format 4 subtable is truncated");
            }

            best = (cmap.Offset + (int)offset, length);
            bestRank = rank;
        }

        if (best is { } found) return found;
        return Fail(FontErrors.NoUnicodeCmap, "the font has no format-4 Unicode cmap");
    }

    private static Error Fail(string code, string message) => new(code, message);
}

/// <summary>A glyph's bounding box in font units, from its glyf header.</summary>
internal readonly record struct GlyphBounds(int XMin, int YMin, int XMax, int YMax);
