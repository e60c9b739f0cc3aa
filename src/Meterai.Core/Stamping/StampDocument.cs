namespace Meterai.Core.Stamping;

/// <summary>What the stamp says about the document it is put on (kept with the stamp, never written into the PDF).</summary>
/// <param name="TypeCode">A <see cref="DocumentTypes"/> code.</param>
/// <param name="Number">The document's own number, if any.</param>
/// <param name="Date">The document's date, if given.</param>
/// <param name="Value">The amount of money the document states, in Rupiah, if any.</param>
public sealed record StampDocument(string TypeCode, string? Number, DateOnly? Date, long? Value);

/// <summary>
/// Where the stamp goes: a 1-based page and a rectangle in the page's default user space (points). All zeros: the
/// caller gave none, and the stamp takes the free spot nearest the usual place once it is made.
/// </summary>
/// <param name="Auto">For a rectangle chosen automatically: <c>free</c> (it covers no ink) or why the usual place was kept
/// (<c>page_full</c>, <c>work_limit</c>, <c>content_unreadable</c>); null for a rectangle the caller gave.</param>
public readonly record struct StampPlacement(int Page, double X1, double Y1, double X2, double Y2, string? Auto = null)
{
    /// <summary>The outcome of an automatic placement that found a free spot.</summary>
    public const string FreeSpot = "free";

    /// <summary>Whether the caller left the place to the service (chosen or still to choose).</summary>
    public bool IsAutomatic => Auto is not null || IsUnchosen;

    /// <summary>Automatic and not chosen yet (the stamp is not made yet).</summary>
    public bool IsUnchosen => X1 == 0 && Y1 == 0 && X2 == 0 && Y2 == 0;
}
