namespace Meterai.Pdf.Appearance;

/// <summary>Error codes of reading and subsetting a TrueType font (stable, public).</summary>
public static class FontErrors
{
    /// <summary>Not a TrueType (glyf-outline) sfnt: e.g. CFF-flavoured OpenType, a collection, or no font at all.</summary>
    public const string NotTrueType = "font_not_truetype";

    /// <summary>A table is missing, truncated or inconsistent with the others.</summary>
    public const string Malformed = "font_malformed";

    /// <summary>The font has no (3,1) or (0,x) format-4 cmap to find glyphs by character.</summary>
    public const string NoUnicodeCmap = "font_no_unicode_cmap";

    /// <summary>A character the subset must hold has no glyph in the font.</summary>
    public const string CharacterMissing = "font_character_missing";

    /// <summary>The font's OS/2 fsType forbids embedding or subsetting it.</summary>
    public const string EmbeddingForbidden = "font_embedding_forbidden";
}
