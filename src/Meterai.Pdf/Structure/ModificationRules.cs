using Meterai.Core.Common;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Structure;

/// <summary>
/// What earlier signatures allow (§12.8.2): a certification signature's DocMDP permission P=1 forbids any change;
/// a FieldMDP lock with P=1 (ISO 32000-2 table 236) does the same. P=2 and P=3 allow adding a signature.
/// </summary>
internal static class ModificationRules
{
    /// <summary>The DocMDP level of the certification signature, or null when the document is not certified.</summary>
    public static int? CertificationLevel(PdfDocument doc, PdfDictionary catalog, IEnumerable<SignatureField> signatures)
    {
        int? level = null;
        if (doc.ResolveDictionary(catalog["Perms"]) is { } perms && doc.ResolveDictionary(perms["DocMDP"]) is { } certifying)
        {
            level = TransformLevel(doc, certifying, "DocMDP") ?? 2;
        }

        foreach (var sig in signatures)
        {
            if (sig.Value is not null && TransformLevel(doc, sig.Value, "DocMDP") is { } p) level = level is null ? p : Math.Min(level.Value, p);
        }

        return level;
    }

    /// <summary>The refusal earlier signatures impose on adding a stamp, or null when a stamp may be added.</summary>
    public static Error? Check(PdfDocument doc, PdfDictionary catalog, IReadOnlyList<SignatureField> signatures)
    {
        if (CertificationLevel(doc, catalog, signatures) == 1)
        {
            return new Error(PdfErrorCodes.CertifiedNoChanges, "the document is certified by its author with \"no changes allowed\": it cannot be stamped");
        }

        foreach (var sig in signatures)
        {
            if (!sig.IsSigned) continue;
            var locked = doc.ResolveDictionary(sig.Field["Lock"]) is { } lockDict && doc.Resolve(lockDict["P"]) is PdfInteger { Value: 1 };
            locked |= TransformLevel(doc, sig.Value!, "FieldMDP") == 1;
            if (locked)
            {
                return new Error(PdfErrorCodes.FieldLocked, $"the signature \"{sig.Name}\" locks the document against any change: it cannot be stamped");
            }
        }

        return null;
    }

    /// <summary>/P of the first signature reference using <paramref name="method"/> (2 when that reference gives none).</summary>
    private static int? TransformLevel(PdfDocument doc, PdfDictionary signature, string method)
    {
        if (doc.Resolve(signature["Reference"]) is not PdfArray references) return null;
        foreach (var r in references)
        {
            if (doc.ResolveDictionary(r) is not { } reference) continue;
            if (doc.Resolve(reference["TransformMethod"]) is not PdfName name || name.Value != method) continue;
            var parameters = doc.ResolveDictionary(reference["TransformParams"]);
            var p = parameters is null ? null : doc.Resolve(parameters["P"]) as PdfInteger;
            return p is null ? (method == "DocMDP" ? 2 : null) : (int)Math.Clamp(p.Value, 0, 3);
        }

        return null;
    }
}
