using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Meterai.Core.Common;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Builds the <see cref="StampFont"/>: subsets the embedded DejaVu Sans Bold to the stamp's characters and reads the
/// PDF font metrics back from the subset itself, so that the /Widths and /FontDescriptor describe exactly the
/// program that is embedded.
/// </summary>
internal static class StampFontFactory
{
    /// <summary>Every character the stamp can draw. The serial alphabet (0-9, A-Z) and a few signs for URLs or dates.</summary>
    public const string Characters = " -./0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public const string ResourceName = "Meterai.Pdf.Appearance.Fonts.DejaVuSans-Bold.ttf";

    // WinAnsi agrees with ASCII on all of Characters, so the char code is the character.
    private const char FirstChar = ' ';
    private const char LastChar = 'Z';

    // PDF FontDescriptor flag bit 6: the font uses the standard Latin character set (with /WinAnsiEncoding).
    private const int NonsymbolicFlag = 1 << 5;

    public static StampFont CreateDefault()
    {
        var created = Create(LoadEmbeddedFont(), Characters);
        return created.IsOk ? created.Value : throw new InvalidOperationException($"the embedded stamp font cannot be subset: {created.Error}");
    }

    public static byte[] LoadEmbeddedFont()
    {
        using var stream = typeof(StampFontFactory).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"resource {ResourceName} is missing from Meterai.Pdf");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static Result<StampFont> Create(byte[] fullFont, string characters)
    {
        var subsetResult = TrueTypeSubsetter.Subset(fullFont, characters);
        if (!subsetResult.IsOk) return subsetResult.Error;
        var subset = subsetResult.Value;
        var parsed = TrueTypeFont.Parse(subset);
        if (!parsed.IsOk) return parsed.Error;
        var font = parsed.Value;
        double scale = 1000.0 / font.UnitsPerEm;
        int Scale(int units) => (int)Math.Round(units * scale, MidpointRounding.AwayFromZero);

        var notdefWidth = Scale(font.HorizontalMetrics(0).Advance);
        var widths = new int[LastChar - FirstChar + 1];
        for (var code = FirstChar; code <= LastChar; code++)
        {
            var glyph = font.GlyphId(code);
            widths[code - FirstChar] = glyph == 0 ? notdefWidth : Scale(font.HorizontalMetrics(glyph).Advance);
        }

        var head = font.Table("head");
        var hhea = font.Table("hhea");
        var bbox = new[]
        {
            (int)Math.Floor(BinaryPrimitives.ReadInt16BigEndian(head[36..]) * scale),
            (int)Math.Floor(BinaryPrimitives.ReadInt16BigEndian(head[38..]) * scale),
            (int)Math.Ceiling(BinaryPrimitives.ReadInt16BigEndian(head[40..]) * scale),
            (int)Math.Ceiling(BinaryPrimitives.ReadInt16BigEndian(head[42..]) * scale),
        };

        var postScriptName = PostScriptName(font);
        if (postScriptName is null) return new Error(FontErrors.Malformed, "the font has no Windows PostScript name (name ID 6)");

        return new StampFont(
            BaseFont: SubsetTag(subset) + "+" + postScriptName,
            FontFile2: subset,
            FirstChar: FirstChar,
            LastChar: LastChar,
            Widths: widths,
            Flags: NonsymbolicFlag,
            FontBBox: bbox,
            ItalicAngle: (int)Math.Round(BinaryPrimitives.ReadInt32BigEndian(font.Table("post")[4..]) / 65536.0),
            Ascent: Scale(BinaryPrimitives.ReadInt16BigEndian(hhea[4..])),
            Descent: Scale(BinaryPrimitives.ReadInt16BigEndian(hhea[6..])),
            CapHeight: Scale(CapHeightUnits(font)),
            StemV: Scale(StemWidthUnits(font)));
    }

    /// <summary>
    /// Six capital letters from the subset's SHA-256 (PDF 32000-1 §9.6.4 asks for a tag unique to the subset):
    /// the same subset always gets the same tag, a different subset almost surely another.
    /// </summary>
    private static string SubsetTag(byte[] subset)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(subset, hash);
        Span<char> tag = stackalloc char[6];
        for (var i = 0; i < tag.Length; i++) tag[i] = (char)('A' + hash[i] % 26);
        return new string(tag);
    }

    /// <summary>OS/2 sCapHeight when the table is version 2 or later; otherwise the top of 'H', as typographers measure it.</summary>
    private static int CapHeightUnits(TrueTypeFont font)
    {
        var os2 = font.Table("OS/2");
        if (os2.Length >= 90 && BinaryPrimitives.ReadUInt16BigEndian(os2) >= 2) return BinaryPrimitives.ReadInt16BigEndian(os2[88..]);
        return font.Bounds(font.GlyphId('H'))?.YMax ?? 0;
    }

    /// <summary>
    /// The dominant vertical stem: the width of 'I', which in a sans-serif is a single stem. TrueType carries no
    /// StemV of its own; viewers use it only as a hint for substitution, so a measured value is the honest one.
    /// </summary>
    private static int StemWidthUnits(TrueTypeFont font) =>
        font.Bounds(font.GlyphId('I')) is { } b ? b.XMax - b.XMin : 0;

    private static string? PostScriptName(TrueTypeFont font)
    {
        var name = font.Table("name");
        if (name.Length < 6) return null;
        int count = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        int storage = BinaryPrimitives.ReadUInt16BigEndian(name[4..]);
        for (var i = 0; i < count && 6 + 12 * (i + 1) <= name.Length; i++)
        {
            var r = name.Slice(6 + 12 * i, 12);
            if (BinaryPrimitives.ReadUInt16BigEndian(r) != 3 || BinaryPrimitives.ReadUInt16BigEndian(r[6..]) != 6) continue;
            int length = BinaryPrimitives.ReadUInt16BigEndian(r[8..]);
            int offset = storage + BinaryPrimitives.ReadUInt16BigEndian(r[10..]);
            if (offset + length > name.Length) return null;
            return Encoding.BigEndianUnicode.GetString(name.Slice(offset, length));
        }

        return null;
    }
}
