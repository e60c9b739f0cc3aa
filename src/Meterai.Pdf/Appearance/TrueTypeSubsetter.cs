using System.Buffers.Binary;
using Meterai.Core.Common;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Cuts a TrueType font down to the glyphs of a given set of characters, for embedding as a PDF /FontFile2.
/// Glyphs keep their outlines and hinting instructions byte for byte; only their ids change: .notdef stays 0 and the
/// kept glyphs (with every component a composite glyph refers to) follow in their original order. glyf/loca,
/// hmtx/hhea, maxp and head are rebuilt to match, cmap becomes one (3,1) format-4 subtable for the given characters,
/// post becomes format 3 (no glyph names: viewers find glyphs through the cmap), name keeps its Windows records,
/// cvt/fpgm/prep/gasp/OS/2 are kept, and everything else (kerning, OpenType layout, the other cmaps) is dropped.
/// </summary>
public static class TrueTypeSubsetter
{
    // Composite glyph component flags (TrueType 'glyf' spec).
    private const int ArgsAreWords = 0x0001;
    private const int WeHaveAScale = 0x0008;
    private const int MoreComponents = 0x0020;
    private const int WeHaveAnXAndYScale = 0x0040;
    private const int WeHaveATwoByTwo = 0x0080;

    // OS/2 fsType bits that forbid what we do: restricted-licence embedding, no subsetting, bitmap-only embedding.
    private const int FsTypeRestricted = 0x0002;
    private const int FsTypeNoSubsetting = 0x0100;
    private const int FsTypeBitmapOnly = 0x0200;

    private static readonly string[] VerbatimTables = ["cvt ", "fpgm", "prep", "gasp"];

    /// <summary>A subset holding the glyphs of <paramref name="characters"/> (BMP characters; duplicates ignored).</summary>
    public static Result<byte[]> Subset(byte[] font, string characters) => Subset(font, characters, forceLongLoca: false);

    /// <param name="forceLongLoca">Writes the 32-bit loca even when the 16-bit one would do (lets tests cover both).</param>
    internal static Result<byte[]> Subset(byte[] font, string characters, bool forceLongLoca)
    {
        var parsed = TrueTypeFont.Parse(font);
        if (!parsed.IsOk) return parsed.Error;
        var src = parsed.Value;

        var permission = CheckEmbeddingPermission(src);
        if (permission is not null) return permission;

        var chars = characters.Distinct().Order().ToArray();
        if (chars.Length == 0 || chars[^1] == '\uFFFF') return new Error(FontErrors.CharacterMissing, "no characters, or U+FFFF, which a cmap cannot map");
        var charGlyphs = new int[chars.Length];
        for (var i = 0; i < chars.Length; i++)
        {
            charGlyphs[i] = src.GlyphId(chars[i]);
            if (charGlyphs[i] == 0 || charGlyphs[i] >= src.NumGlyphs)
            {
                return new Error(FontErrors.CharacterMissing, $"the font has no glyph for U+{(int)chars[i]:X4}");
            }
        }

        var closure = GlyphClosure(src, charGlyphs);
        if (!closure.IsOk) return closure.Error;
        var oldIds = closure.Value;
        var newIdOf = new Dictionary<int, int>(oldIds.Length);
        for (var i = 0; i < oldIds.Length; i++) newIdOf[oldIds[i]] = i;

        var glyf = BuildGlyf(src, oldIds, newIdOf, out var offsets);
        var longLoca = forceLongLoca || glyf.Length / 2 > ushort.MaxValue;
        var tables = new Dictionary<string, byte[]>
        {
            ["glyf"] = glyf,
            ["loca"] = BuildLoca(offsets, longLoca),
            ["hmtx"] = BuildHmtx(src, oldIds),
            ["hhea"] = BuildHhea(src, oldIds),
            ["maxp"] = BuildMaxp(src, oldIds.Length),
            ["head"] = BuildHead(src, oldIds, longLoca),
            ["cmap"] = CmapWriter.Write(chars.Select((c, i) => (c, newIdOf[charGlyphs[i]])).ToArray()),
            ["post"] = BuildPost(src),
        };
        foreach (var tag in VerbatimTables)
        {
            if (src.HasTable(tag)) tables[tag] = src.Table(tag).ToArray();
        }

        if (src.HasTable("OS/2")) tables["OS/2"] = BuildOs2(src, chars[0], chars[^1]);
        if (src.HasTable("name"))
        {
            var name = NameTableWriter.WindowsRecordsOnly(src.Table("name"));
            if (!name.IsOk) return name.Error;
            tables["name"] = name.Value;
        }

        return SfntWriter.Write(tables);
    }

    private static Error? CheckEmbeddingPermission(TrueTypeFont src)
    {
        var os2 = src.Table("OS/2");
        if (os2.Length < 10) return null; // no OS/2: no restriction declared
        int fsType = BinaryPrimitives.ReadUInt16BigEndian(os2[8..]);
        if ((fsType & (FsTypeRestricted | FsTypeNoSubsetting | FsTypeBitmapOnly)) != 0)
        {
            return new Error(FontErrors.EmbeddingForbidden, $"OS/2 fsType 0x{fsType:X4} forbids embedding a subset of this font");
        }

        return null;
    }

    /// <summary>.notdef, the given glyphs and, transitively, every component of a composite among them; sorted.</summary>
    private static Result<int[]> GlyphClosure(TrueTypeFont src, int[] roots)
    {
        var kept = new SortedSet<int>();
        var pending = new Stack<int>(roots);
        pending.Push(0);
        while (pending.Count > 0)
        {
            var g = pending.Pop();
            if (!kept.Add(g)) continue;
            var components = ComponentOffsets(src.Glyph(g));
            if (!components.IsOk) return new Error(FontErrors.Malformed, $"glyph {g}: {components.Error.Message}");
            foreach (var at in components.Value)
            {
                int component = BinaryPrimitives.ReadUInt16BigEndian(src.Glyph(g)[at..]);
                if (component >= src.NumGlyphs) return new Error(FontErrors.Malformed, $"glyph {g} refers to glyph {component}, past numGlyphs");
                if (!kept.Contains(component)) pending.Push(component);
            }
        }

        return kept.ToArray();
    }

    /// <summary>Offsets, within a glyph record, of each component's glyphIndex field; none for a simple glyph.</summary>
    private static Result<List<int>> ComponentOffsets(ReadOnlySpan<byte> glyph)
    {
        var offsets = new List<int>();
        if (glyph.IsEmpty || BinaryPrimitives.ReadInt16BigEndian(glyph) >= 0) return offsets;
        var at = 10;
        int flags;
        do
        {
            if (at + 4 > glyph.Length) return new Error(FontErrors.Malformed, "composite glyph is truncated");
            flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            offsets.Add(at + 2);
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            if ((flags & WeHaveAScale) != 0) at += 2;
            else if ((flags & WeHaveAnXAndYScale) != 0) at += 4;
            else if ((flags & WeHaveATwoByTwo) != 0) at += 8;
        }
        while ((flags & MoreComponents) != 0);

        if (at > glyph.Length) return new Error(FontErrors.Malformed, "composite glyph is truncated");
        return offsets;
    }

    private static byte[] BuildGlyf(TrueTypeFont src, int[] oldIds, Dictionary<int, int> newIdOf, out int[] offsets)
    {
        offsets = new int[oldIds.Length + 1];
        var size = 0;
        foreach (var g in oldIds) size += SfntWriter.Pad4(src.Glyph(g).Length);
        var glyf = new byte[size];
        var at = 0;
        for (var i = 0; i < oldIds.Length; i++)
        {
            offsets[i] = at;
            var glyph = src.Glyph(oldIds[i]);
            glyph.CopyTo(glyf.AsSpan(at));

            // Composite components point at old glyph ids: renumber them in the copy (the closure kept them all).
            foreach (var c in ComponentOffsets(glyph).Value)
            {
                var component = BinaryPrimitives.ReadUInt16BigEndian(glyph[c..]);
                BinaryPrimitives.WriteUInt16BigEndian(glyf.AsSpan(at + c), (ushort)newIdOf[component]);
            }

            // 4-byte alignment: offsets stay even (the short loca stores offset / 2) and aligned for readers.
            at += SfntWriter.Pad4(glyph.Length);
        }

        offsets[^1] = at;
        return glyf;
    }

    private static byte[] BuildLoca(int[] offsets, bool longFormat)
    {
        var loca = new byte[offsets.Length * (longFormat ? 4 : 2)];
        for (var i = 0; i < offsets.Length; i++)
        {
            if (longFormat) BinaryPrimitives.WriteUInt32BigEndian(loca.AsSpan(4 * i), (uint)offsets[i]);
            else BinaryPrimitives.WriteUInt16BigEndian(loca.AsSpan(2 * i), (ushort)(offsets[i] / 2));
        }

        return loca;
    }

    /// <summary>One full (advance, lsb) pair per glyph: numberOfHMetrics = numGlyphs, the simplest valid form.</summary>
    private static byte[] BuildHmtx(TrueTypeFont src, int[] oldIds)
    {
        var hmtx = new byte[4 * oldIds.Length];
        for (var i = 0; i < oldIds.Length; i++)
        {
            var (advance, lsb) = src.HorizontalMetrics(oldIds[i]);
            BinaryPrimitives.WriteUInt16BigEndian(hmtx.AsSpan(4 * i), (ushort)advance);
            BinaryPrimitives.WriteInt16BigEndian(hmtx.AsSpan(4 * i + 2), (short)lsb);
        }

        return hmtx;
    }

    /// <summary>hhea with numberOfHMetrics and the extremes (advanceWidthMax, min side bearings, xMaxExtent) of the kept glyphs.</summary>
    private static byte[] BuildHhea(TrueTypeFont src, int[] oldIds)
    {
        var hhea = src.Table("hhea")[..36].ToArray();
        int advanceMax = 0, minLsb = short.MaxValue, minRsb = short.MaxValue, maxExtent = short.MinValue;
        foreach (var g in oldIds)
        {
            var (advance, lsb) = src.HorizontalMetrics(g);
            advanceMax = Math.Max(advanceMax, advance);
            if (src.Bounds(g) is not { } b) continue; // the side-bearing extremes count glyphs with contours only
            var extent = lsb + (b.XMax - b.XMin);
            minLsb = Math.Min(minLsb, lsb);
            minRsb = Math.Min(minRsb, advance - extent);
            maxExtent = Math.Max(maxExtent, extent);
        }

        if (maxExtent == short.MinValue) minLsb = minRsb = maxExtent = 0;
        var s = hhea.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], (ushort)advanceMax);
        BinaryPrimitives.WriteInt16BigEndian(s[12..], (short)minLsb);
        BinaryPrimitives.WriteInt16BigEndian(s[14..], (short)minRsb);
        BinaryPrimitives.WriteInt16BigEndian(s[16..], (short)maxExtent);
        BinaryPrimitives.WriteUInt16BigEndian(s[34..], (ushort)oldIds.Length);
        return hhea;
    }

    /// <summary>maxp with the new glyph count; its other maxima (points, contours, depth) still bound the subset.</summary>
    private static byte[] BuildMaxp(TrueTypeFont src, int numGlyphs)
    {
        var maxp = src.Table("maxp").ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(4), (ushort)numGlyphs);
        return maxp;
    }

    /// <summary>head with the kept glyphs' bounding box and the loca format; SfntWriter fills checkSumAdjustment.</summary>
    private static byte[] BuildHead(TrueTypeFont src, int[] oldIds, bool longLoca)
    {
        var head = src.Table("head")[..54].ToArray();
        int xMin = short.MaxValue, yMin = short.MaxValue, xMax = short.MinValue, yMax = short.MinValue;
        foreach (var g in oldIds)
        {
            if (src.Bounds(g) is not { } b) continue;
            xMin = Math.Min(xMin, b.XMin);
            yMin = Math.Min(yMin, b.YMin);
            xMax = Math.Max(xMax, b.XMax);
            yMax = Math.Max(yMax, b.YMax);
        }

        if (xMax == short.MinValue) xMin = yMin = xMax = yMax = 0;
        var s = head.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(s[36..], (short)xMin);
        BinaryPrimitives.WriteInt16BigEndian(s[38..], (short)yMin);
        BinaryPrimitives.WriteInt16BigEndian(s[40..], (short)xMax);
        BinaryPrimitives.WriteInt16BigEndian(s[42..], (short)yMax);
        BinaryPrimitives.WriteInt16BigEndian(s[50..], (short)(longLoca ? 1 : 0));
        return head;
    }

    /// <summary>post format 3: the source's italic angle, underline and pitch, and no glyph names.</summary>
    private static byte[] BuildPost(TrueTypeFont src)
    {
        var post = new byte[32];
        var source = src.Table("post");
        if (source.Length >= 16) source[..16].CopyTo(post);
        BinaryPrimitives.WriteUInt32BigEndian(post, 0x00030000);
        return post;
    }

    /// <summary>OS/2 as it was, with usFirstCharIndex/usLastCharIndex narrowed to the subset's characters.</summary>
    private static byte[] BuildOs2(TrueTypeFont src, char first, char last)
    {
        var os2 = src.Table("OS/2").ToArray();
        if (os2.Length >= 68)
        {
            BinaryPrimitives.WriteUInt16BigEndian(os2.AsSpan(64), first);
            BinaryPrimitives.WriteUInt16BigEndian(os2.AsSpan(66), last);
        }

        return os2;
    }
}
