namespace Meterai.Core.Stamping;

/// <summary>What the stamp says about the document it is put on (kept with the stamp, never written into the PDF).</summary>
/// <param name="TypeCode">A <see cref="DocumentTypes"/> code.</param>
/// <param name="Number">The document's own number, if any.</param>
/// <param name="Date">The document's date, if given.</param>
/// <param name="Value">The amount of money the document states, in Rupiah, if any.</param>
public sealed record StampDocument(string TypeCode, string? Number, DateOnly? Date, long? Value);

/// <summary>Where the stamp goes: a 1-based page and a rectangle in the page's default user space (points).</summary>
public readonly record struct StampPlacement(int Page, double X1, double Y1, double X2, double Y2);
