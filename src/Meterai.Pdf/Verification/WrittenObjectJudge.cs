using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Verification;

/// <summary>
/// The allow-list applied to one object a later revision wrote (<see cref="AllowedPlace"/>): null when it is
/// explained, else a note naming the object and why it is a change.
/// </summary>
internal sealed class WrittenObjectJudge(
    PdfDocument signed,
    PdfDocument final,
    ObjectComparison compare,
    StructureRules rules,
    DocumentWalk walk,
    IReadOnlySet<int> written,
    IReadOnlySet<int> xrefStreams)
{
    private HashSet<int>? _containers;

    public string? Problem(int n)
    {
        var inSigned = !rules.IsFresh(n);
        var inFinal = final.Xref.TryGet(n, out var entry) && entry.Type != XrefEntryType.Free;
        var reach = walk.Reached.GetValueOrDefault(n);
        if (xrefStreams.Contains(n))
        {
            if (inSigned) return $"object {n} ({Describe(signed, n)}) was replaced by a later cross-reference stream";
            return reach is { InDocument: true } ? Dangling(n, reach) : null;
        }

        // As pyHanko does: a freed object is a change even where the number was never used (a reader resolves it to null).
        if (!inFinal) return inSigned ? $"object {n} ({Describe(signed, n)}) was deleted" : $"object number {n} was freed by a later revision";
        if (inSigned && compare.Same(signed.GetObject(n), final.GetObject(n))) return null; // rewritten as it was

        if (reach is null)
        {
            // Nothing refers to it; but an object stream holds objects by number, not by reference.
            return inSigned && Containers().Contains(n) ? $"object stream {n}, which holds signed objects, was replaced" : null;
        }

        if (!reach.InDocument) return null; // only an allowed place reaches it
        if (!inSigned && Dangling(n, reach) is { } dangling) return dangling;
        if (reach.Roles.Count == 0)
        {
            return inSigned
                ? $"object {n} ({Describe(signed, n)}) was changed"
                : $"object {n} ({Describe(final, n)}) was added where the signed document shows it (referred to by {Referrer(reach)})";
        }

        foreach (var (role, owner) in reach.Roles)
        {
            var verdict = role switch
            {
                StructureRole.Catalog => rules.Catalog(),
                StructureRole.Form or StructureRole.FieldsArray => rules.Form(),
                StructureRole.Page or StructureRole.AnnotsArray => rules.Page(owner),
                _ => rules.Signing(owner),
            };
            if (verdict.Problem is { } problem) return $"object {n} ({Describe(inSigned ? signed : final, n)}) was changed: {problem}";
        }

        return null;
    }

    /// <summary>Where the last object only later signature <paramref name="field"/> explains starts (its signature must cover it).</summary>
    public long LastOffsetOf(int field)
    {
        var place = new Place(AllowedPlace.LaterSignature, field);
        long last = OffsetOf(field);
        foreach (var n in written)
        {
            if (walk.Reached.TryGetValue(n, out var reach) && !reach.InDocument && reach.Allowed.Contains(place)) last = Math.Max(last, OffsetOf(n));
        }

        return last;
    }

    /// <summary>
    /// A new object that a signed object, unchanged, refers to: the signed revision referred to it without defining it
    /// (what it drew there was nothing), so defining it later changes what the signed document shows.
    /// </summary>
    private string? Dangling(int n, Reach reach)
    {
        if (reach.ManyReferrers) return $"object {n} did not exist when the document was signed, yet more than {Reach.MaxReferrers} objects of it refer to it";
        foreach (var r in reach.DocumentReferrers)
        {
            if (r == 0) continue; // the trailer, checked on its own
            var unchanged = !written.Contains(r) || !rules.IsFresh(r) && compare.Same(signed.GetObject(r), final.GetObject(r));
            if (unchanged)
            {
                return $"object {n} ({Describe(final, n)}) did not exist when the document was signed, yet signed object {r} ({Describe(signed, r)}) refers to it: defining it later changes what the signed document shows";
            }
        }

        return null;
    }

    /// <summary>Where the object's current definition starts; a freed or lost object is past every signature.</summary>
    private long OffsetOf(int n)
    {
        if (!final.Xref.TryGet(n, out var e) || e.Type == XrefEntryType.Free) return final.Length;
        if (e.Type == XrefEntryType.InFile) return e.Offset;
        return e.Type == XrefEntryType.Compressed && final.Xref.TryGet((int)e.StreamNumber, out var container) ? container.Offset : 0;
    }

    private HashSet<int> Containers()
    {
        if (_containers is not null) return _containers;
        _containers = [];
        foreach (var (_, e) in final.Xref.Entries)
        {
            if (e.Type == XrefEntryType.Compressed) _containers.Add((int)e.StreamNumber);
        }

        return _containers;
    }

    private static string Referrer(Reach reach) => reach.DocumentReferrers.Count == 0 ? "nothing" : reach.DocumentReferrers[0] == 0 ? "the trailer" : $"object {reach.DocumentReferrers[0]}";

    private static string Describe(PdfDocument doc, int n)
    {
        var o = doc.GetObject(n);
        return o switch
        {
            PdfStream s => Named(doc, s.Dictionary) is { } t ? t + " stream" : "stream",
            PdfDictionary d => Named(doc, d) ?? "dictionary",
            PdfArray => "array",
            PdfNull => "undefined",
            _ => o.GetType().Name.Replace("Pdf", "", StringComparison.Ordinal).ToLowerInvariant(),
        };
    }

    private static string? Named(PdfDocument doc, PdfDictionary d)
    {
        var type = (doc.Resolve(d["Type"]) as PdfName)?.Value;
        var subtype = (doc.Resolve(d["Subtype"]) as PdfName)?.Value;
        return (type, subtype) switch
        {
            (null, null) => null,
            (null, _) => "/" + subtype,
            (_, null) => "/" + type,
            _ => $"/{type} /{subtype}",
        };
    }
}
