using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Structure;

/// <summary>A terminal signature field (§12.7.5.5) and its value, the signature dictionary, when it is signed.</summary>
internal sealed record SignatureField(
    PdfObject FieldReference,
    PdfDictionary Field,
    string Name,
    PdfObject? ValueReference,
    PdfDictionary? Value)
{
    public bool IsSigned => Value is not null;
}

/// <summary>Walks the interactive form's field tree (§12.7.4) for signature fields: bounded, and safe against loops.</summary>
internal static class SignatureFields
{
    public static List<SignatureField> Find(PdfDocument doc, PdfDictionary? acroForm)
    {
        var result = new List<SignatureField>();
        if (acroForm is null || doc.Resolve(acroForm["Fields"]) is not PdfArray fields) return result;
        var visited = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(PdfObject Ref, string Parent, string? Type, int Depth)>();
        for (var i = fields.Count - 1; i >= 0; i--) stack.Push((fields[i], "", null, 0));
        var seen = 0;
        while (stack.Count > 0)
        {
            var (reference, parentName, inheritedType, depth) = stack.Pop();
            WorkBudget.Tick();
            if (++seen > doc.Limits.MaxFormFields) throw PdfFormatException.Limit($"the form has more than {doc.Limits.MaxFormFields} fields");
            if (doc.ResolveDictionary(reference) is not { } field || !visited.Add(field)) continue;
            var partial = doc.Resolve(field["T"]) is PdfString t ? t.ToText() : null;
            var name = partial is null ? parentName : parentName.Length == 0 ? partial : parentName + "." + partial;
            var type = (doc.Resolve(field["FT"]) as PdfName)?.Value ?? inheritedType;

            // Kids that carry a partial name are fields; kids without one are only widgets of this field (§12.7.4.1).
            var childFields = new List<PdfObject>();
            if (doc.Resolve(field["Kids"]) is PdfArray kids)
            {
                foreach (var kid in kids)
                {
                    if (doc.ResolveDictionary(kid) is { } k && k.ContainsKey("T")) childFields.Add(kid);
                }
            }

            if (childFields.Count > 0)
            {
                if (depth + 1 > doc.Limits.MaxNestingDepth) throw PdfFormatException.Limit("form fields nested too deeply");
                for (var i = childFields.Count - 1; i >= 0; i--) stack.Push((childFields[i], name, type, depth + 1));
                continue;
            }

            if (type != "Sig") continue;
            var valueRef = field["V"];
            var value = doc.ResolveDictionary(valueRef);
            result.Add(new SignatureField(reference, field, name, valueRef, value));
        }

        return result;
    }
}
