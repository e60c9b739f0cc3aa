using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Structure;

/// <summary>
/// The empty signature fields a stamp can sign in place: unsigned, the field and its widget one dictionary
/// (§12.7.4.1; a field with /Kids widgets would need its kids rewritten), listed in the page's /Annots, with a
/// rectangle that has an area. Signing one changes only its /V, /AP and /F — what both ISO 32000 (form filling and
/// signing, DocMDP P=2) and pyHanko's difference analysis (FORM_FILLING) allow after a certification.
/// </summary>
internal static class EmptySignatureFields
{
    public static (SignatureField Field, PdfRect Rect)? OnPage(PdfDocument doc, IReadOnlyList<SignatureField> fields, PageInfo page)
    {
        if (doc.Resolve(page.Dictionary["Annots"]) is not PdfArray annots) return null;
        var onPage = new HashSet<ObjectId>();
        foreach (var a in annots)
        {
            if (a is PdfReference r) onPage.Add(r.Id);
        }

        foreach (var field in fields)
        {
            if (field.IsSigned || field.FieldReference is not PdfReference r || !onPage.Contains(r.Id)) continue;
            var dict = field.Field;
            if (dict.ContainsKey("Kids") || doc.Resolve(dict["Subtype"]) is not PdfName { Value: "Widget" }) continue;
            if (PdfRect.From(dict["Rect"], doc.Resolve) is not { IsEmpty: false } rect) continue;
            return (field, rect);
        }

        return null;
    }
}
