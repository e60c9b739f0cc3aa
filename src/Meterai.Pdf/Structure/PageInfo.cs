using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Structure;

/// <summary>
/// The target page and what it inherits (§7.7.3.4): /MediaBox, /CropBox, /Rotate (and /Resources, which the stamp
/// does not need because its appearance carries its own).
/// </summary>
internal sealed record PageInfo(
    PdfReference Reference,
    PdfDictionary Dictionary,
    PdfRect MediaBox,
    PdfRect CropBox,
    int Rotate,
    int PageCount)
{
    /// <summary>The part of the page a viewer shows: the crop box clipped to the media box (§14.11.2).</summary>
    public PdfRect VisibleBox => CropBox.Intersect(MediaBox);

    /// <summary>A page-tree node the increment must write because recovery rebuilt the tree, or null.</summary>
    public RebuiltPageTree? Rebuilt { get; init; }
}

/// <summary>
/// A page tree rebuilt from the page objects a recovery scan found: one /Pages node listing them, written with the
/// number the pages' /Parent already names when that object is missing, else a new one the catalog then points to.
/// </summary>
internal sealed record RebuiltPageTree(int? ExistingNumber, IReadOnlyList<PdfReference> Kids, IReadOnlyList<PdfReference> PagesNeedingParent);
