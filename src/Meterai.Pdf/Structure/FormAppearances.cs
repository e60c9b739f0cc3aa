using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Structure;

/// <summary>
/// Whether a form's /NeedAppearances true can be turned off without hiding anything: every widget of every field that
/// is not a signature field already carries its normal appearance (/AP /N), so what a viewer shows of it does not
/// depend on the viewer building one. A signature widget's appearance cannot be built from its value at all, and
/// viewers that honour the flag (Acrobat, poppler before 23) then show signatures blank; the flag is deprecated in
/// PDF 2.0. pyHanko's difference analysis lets a later revision change it (/NeedAppearances is exempt in the form).
/// </summary>
internal static class FormAppearances
{
    private const int MaxDepth = 16;

    public static bool NeedAppearances(PdfDocument doc, PdfDictionary? form) =>
        form is not null && doc.Resolve(form["NeedAppearances"]) is PdfBoolean { Value: true };

    /// <summary>Every non-signature widget of <paramref name="form"/> has /AP /N (false when the walk goes past its bounds).</summary>
    public static bool AllDrawn(PdfDocument doc, PdfDictionary form)
    {
        if (doc.Resolve(form["Fields"]) is not PdfArray fields) return true;
        var stack = new Stack<(PdfObject Node, string? Type, int Depth)>();
        foreach (var f in fields) stack.Push((f, null, 0));
        var visited = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var (node, inherited, depth) = stack.Pop();
            WorkBudget.Tick();
            if (visited.Count > doc.Limits.MaxFormFields || depth > MaxDepth) return false;
            if (doc.ResolveDictionary(node) is not { } field || !visited.Add(field)) continue;
            var type = (doc.Resolve(field["FT"]) as PdfName)?.Value ?? inherited;
            var kids = doc.Resolve(field["Kids"]) as PdfArray;
            if (kids is not null && kids.Count > 0)
            {
                // Kids with a name are fields, kids without one are this field's widgets: each is checked in turn.
                foreach (var k in kids) stack.Push((k, type, depth + 1));
                if (!field.ContainsKey("Rect")) continue;
            }

            if (type == "Sig") continue;
            if (doc.ResolveDictionary(field["AP"])?["N"] is null) return false;
        }

        return true;
    }
}
