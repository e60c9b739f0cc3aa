using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// Where a stamp goes when the caller gives no rectangle (<see cref="PageInspector.ChooseSpot"/>): the free spot
/// nearest the usual place, or the usual place itself with the reason (<see cref="Fallback"/>) when no free spot was
/// found or looked for.
/// </summary>
/// <param name="Rect">The rectangle to stamp, in default user space, at <see cref="DefaultStampSize"/>.</param>
/// <param name="UsualPlace">Bottom right of the page as displayed, above the margin: where the stamp went before.</param>
/// <param name="Fallback">Null when <see cref="Rect"/> covers no ink; else <see cref="PageFull"/>, <see cref="WorkLimit"/> or <see cref="ContentUnreadable"/>.</param>
/// <param name="Detail">Why, in words, for a fallback.</param>
public sealed record AutoPlacement(PdfRect Rect, PdfRect UsualPlace, string? Fallback, string? Detail)
{
    /// <summary>The page has no free spot of the stamp's size.</summary>
    public const string PageFull = "page_full";

    /// <summary>Reading the page's content reached the scan's share of the work budget.</summary>
    public const string WorkLimit = "work_limit";

    /// <summary>The page's content could not be read (an unusual filter, damage).</summary>
    public const string ContentUnreadable = "content_unreadable";

    public bool Moved => Rect != UsualPlace;
}
