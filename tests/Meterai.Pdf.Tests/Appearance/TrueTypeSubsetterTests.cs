using System.Buffers.Binary;
using Meterai.Pdf.Appearance;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Appearance;

public class TrueTypeSubsetterTests
{
    private static readonly byte[] FullFont = StampFontFactory.LoadEmbeddedFont();

    [Fact]
    public void Embedded_font_is_the_upstream_release_file()
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(FullFont));
        Assert.Equal("e6476c1b80502924294eed40894c5b18e06c181444ca953e5334262df9c27724", sha);
    }

    [Fact]
    public void Stamp_subset_maps_exactly_the_stamp_characters_and_nothing_else()
    {
        var inspector = new SfntInspector(StampFont.Default.FontFile2);
        var cmap = inspector.UnicodeCmap();

        Assert.Equal(StampFontFactory.Characters, new string(cmap.Keys.ToArray()));
        Assert.Equal(StampFontFactory.Characters.Length + 1, inspector.NumGlyphs); // + .notdef
        Assert.Equal(cmap.Count, cmap.Values.Distinct().Count());
        Assert.All(cmap.Values, g => Assert.InRange(g, 1, inspector.NumGlyphs - 1));
    }

    [Fact]
    public void Stamp_subset_is_a_small_fraction_of_the_full_font()
    {
        var subset = StampFont.Default.FontFile2;
        Assert.True(subset.Length * 20 < FullFont.Length, $"subset is {subset.Length} bytes of {FullFont.Length}");
    }

    [Fact]
    public void Stamp_subset_keeps_the_tables_a_pdf_needs_and_drops_the_rest()
    {
        var inspector = new SfntInspector(StampFont.Default.FontFile2);

        Assert.Equal(
            ["OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"],
            inspector.DirectoryOrder);
        Assert.Equal(0x00030000u, BinaryPrimitives.ReadUInt32BigEndian(inspector.Table("post")));
        Assert.Equal(0, inspector.IndexToLocFormat); // 42 small glyphs: the short loca fits
        Assert.Equal(2 * (inspector.NumGlyphs + 1), inspector.Tables["loca"].Length);
        Assert.Equal(4 * inspector.NumGlyphs, inspector.Tables["hmtx"].Length);
    }

    [Fact]
    public void Every_table_checksum_and_the_file_checksum_are_right()
    {
        foreach (var font in new[] { StampFont.Default.FontFile2, Subset("AÁ", forceLongLoca: true) })
        {
            var inspector = new SfntInspector(font);
            Assert.Empty(inspector.BadChecksums());
            Assert.Equal(0xB1B0AFBAu, inspector.WholeFileChecksum());
        }
    }

    [Fact]
    public void Glyph_outlines_and_advances_are_copied_unchanged()
    {
        var source = TrueTypeFont.Parse(FullFont).Value;
        var subset = TrueTypeFont.Parse(StampFont.Default.FontFile2).Value;
        foreach (var c in StampFontFactory.Characters)
        {
            var oldId = source.GlyphId(c);
            var newId = subset.GlyphId(c);
            Assert.NotEqual(0, newId);
            Assert.True(source.Glyph(oldId).SequenceEqual(subset.Glyph(newId)), $"outline of '{c}' differs");
            Assert.Equal(source.HorizontalMetrics(oldId), subset.HorizontalMetrics(newId));
        }

        Assert.True(source.Glyph(0).SequenceEqual(subset.Glyph(0)), ".notdef differs");
    }

    [Fact]
    public void Composite_glyph_brings_its_components_and_points_at_their_new_ids()
    {
        // Á is a composite of A and a separate acute glyph in DejaVu; the acute has no character of its own here.
        var font = Subset("Á", forceLongLoca: true);
        var subset = TrueTypeFont.Parse(font).Value;
        var source = TrueTypeFont.Parse(FullFont).Value;

        Assert.Equal(1, new SfntInspector(font).IndexToLocFormat);
        Assert.Equal(4, subset.NumGlyphs); // .notdef, A, Aacute, acute
        var aacute = subset.Glyph(subset.GlyphId('Á'));
        Assert.True(BinaryPrimitives.ReadInt16BigEndian(aacute) < 0, "Á should stay a composite");

        var sourceAacute = source.Glyph(source.GlyphId('Á'));
        var components = ComponentIds(aacute);
        var sourceComponents = ComponentIds(sourceAacute);
        Assert.Equal(2, components.Count);
        Assert.Equal(source.GlyphId('A'), sourceComponents[0]);
        for (var i = 0; i < components.Count; i++)
        {
            Assert.InRange(components[i], 1, subset.NumGlyphs - 1);
            Assert.True(source.Glyph(sourceComponents[i]).SequenceEqual(subset.Glyph(components[i])), $"component {i} is not the same glyph");
        }
    }

    [Fact]
    public void Subsetting_is_deterministic_and_the_default_font_is_built_once()
    {
        Assert.Equal(Subset(StampFontFactory.Characters, false), Subset(StampFontFactory.Characters, false));
        Assert.Same(StampFont.Default, StampFont.Default);
        Assert.Matches("^[A-Z]{6}\\+DejaVuSans-Bold$", StampFont.Default.BaseFont);
        Assert.Equal(StampFont.Default.BaseFont, StampFontFactory.Create(FullFont, StampFontFactory.Characters).Value.BaseFont);
    }

    [Fact]
    public void Font_is_refused_when_it_is_not_truetype_or_is_truncated()
    {
        Assert.Equal(FontErrors.NotTrueType, TrueTypeSubsetter.Subset("not a font at all"u8.ToArray(), "A").Error?.Code);
        var cff = FullFont.ToArray();
        "OTTO"u8.CopyTo(cff);
        Assert.Equal(FontErrors.NotTrueType, TrueTypeSubsetter.Subset(cff, "A").Error?.Code);
        Assert.Equal(FontErrors.Malformed, TrueTypeSubsetter.Subset(FullFont[..5000], "A").Error?.Code);
    }

    [Fact]
    public void Character_without_a_glyph_is_refused()
    {
        var result = TrueTypeSubsetter.Subset(FullFont, "A中");
        Assert.Equal(FontErrors.CharacterMissing, result.Error?.Code);
        Assert.Contains("U+4E2D", result.Error!.Message);
    }

    [Theory]
    [InlineData(0x0002)] // restricted licence embedding
    [InlineData(0x0100)] // no subsetting
    public void Font_whose_fstype_forbids_it_is_refused(int fsType)
    {
        var font = FullFont.ToArray();
        var os2 = new SfntInspector(font).Tables["OS/2"].Offset;
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(os2 + 8), (ushort)fsType);
        Assert.Equal(FontErrors.EmbeddingForbidden, TrueTypeSubsetter.Subset(font, "A").Error?.Code);
    }

    [Fact]
    public void Fontconfig_reads_the_subset_as_dejavu_sans_bold_with_exactly_our_characters()
    {
        ExternalTool.Require("fc-query");
        var path = Path.Combine(Path.GetTempPath(), $"meterai-subset-{Guid.NewGuid():N}.ttf");
        File.WriteAllBytes(path, StampFont.Default.FontFile2);
        try
        {
            var outcome = ExternalTool.Run("fc-query", ["--format=%{family}|%{style}|%{fontformat}|%{outline}|%{postscriptname}|%{charset}", path]);
            Assert.Equal(0, outcome.ExitCode);

            // fontconfig prints the charset as Unicode ranges: space, '-' to ':', 'A' to 'Z'.
            Assert.Equal("DejaVu Sans|Bold|TrueType|True|DejaVuSans-Bold|20 2d-3a 41-5a", outcome.StdOut.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Stamp_font_metrics_are_read_from_the_subset_in_pdf_units()
    {
        var font = StampFont.Default;
        Assert.Equal(32, font.FirstChar);
        Assert.Equal('Z', font.LastChar);
        Assert.Equal(font.LastChar - font.FirstChar + 1, font.Widths.Count);
        Assert.Equal(1103, font.WidthOf('W')); // 2259 / 2048 em
        Assert.Equal(696, font.WidthOf('0')); // 1425 / 2048 em
        Assert.Equal(348, font.WidthOf(' ')); // 713 / 2048 em
        Assert.Equal(600, font.WidthOf('!')); // not in the subset: .notdef's advance (1229 / 2048 em)
        Assert.Equal(32, font.Flags); // Nonsymbolic only
        Assert.Equal((928, -236, 729, 0), (font.Ascent, font.Descent, font.CapHeight, font.ItalicAngle));
        Assert.Equal([-57, -201, 1072, 743], font.FontBBox);
        Assert.InRange(font.StemV, 150, 250);
        Assert.Equal(font.FontFile2, Inflate(font.FontFile2Deflated));
    }

    private static byte[] Subset(string characters, bool forceLongLoca) =>
        TrueTypeSubsetter.Subset(FullFont, characters, forceLongLoca).Value;

    private static List<int> ComponentIds(ReadOnlySpan<byte> glyph)
    {
        var ids = new List<int>();
        var at = 10;
        int flags;
        do
        {
            flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            ids.Add(BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]));
            at += 4 + ((flags & 1) != 0 ? 4 : 2) + ((flags & 8) != 0 ? 2 : (flags & 0x40) != 0 ? 4 : (flags & 0x80) != 0 ? 8 : 0);
        }
        while ((flags & 0x20) != 0);

        return ids;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new System.IO.Compression.ZLibStream(new MemoryStream(zlib), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
