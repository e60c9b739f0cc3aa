using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Verification;

/// <summary>
/// The signed document's few objects that a later signature must rewrite, and how far each may change: the catalog
/// (only the keys that lead to an allowed place), the form (its /Fields grows by new signature fields, /SigFlags; /DR
/// and /DA only while all fields are signatures), a page (its /Annots grows by new signature widgets), an empty signature
/// field of the signed revision (being signed). Each rule compares the signed version with the final one and names
/// the new items that enter <see cref="AllowedPlace.LaterSignature"/>. Memoized: one document pair per instance.
/// </summary>
internal sealed class StructureRules(PdfDocument signed, PdfDocument final, ObjectComparison compare, IReadOnlySet<int> written)
{
    private const int MaxFieldDepth = 16;

    private static readonly HashSet<string> CatalogKeys = ["AcroForm", "DSS", "Metadata", "Extensions", "Version", "MarkInfo"];
    private static readonly HashSet<string> FormKeys = ["Fields", "SigFlags"];
    private static readonly HashSet<string> FormKeysWithDefaults = ["Fields", "SigFlags", "DR", "DA"];
    private static readonly HashSet<string> PageKeys = ["Annots"];
    private static readonly HashSet<string> SigningKeys = ["V", "AP", "MK", "F"];

    private readonly Dictionary<int, Verdict> _pages = [];
    private readonly Dictionary<int, Verdict> _signings = [];
    private Verdict? _catalog;
    private Verdict? _form;
    private bool? _formDefaults;
    private HashSet<int>? _emptySignatureFields;

    /// <summary>A rule's answer: the problem (null when the change is allowed) and the new items it lets into a later signature (item number → field number).</summary>
    public sealed record Verdict(string? Problem, IReadOnlyDictionary<int, int> NewItems)
    {
        public static readonly Verdict Allowed = new(null, new Dictionary<int, int>());

        public static Verdict Refused(string problem) => new(problem, new Dictionary<int, int>());
    }

    /// <summary>Later signature fields that show something on a page: their signature must verify and cover what they show.</summary>
    public HashSet<int> VisibleSignatureFields { get; } = [];

    /// <summary>The object did not exist (or was free) in the signed revision.</summary>
    public bool IsFresh(int number) => !signed.Xref.TryGet(number, out var e) || e.Type == XrefEntryType.Free;

    public Verdict Catalog()
    {
        if (_catalog is not null) return _catalog;
        var before = signed.ResolveDictionary(signed.Trailer["Root"]);
        var after = final.ResolveDictionary(final.Trailer["Root"]);
        if (before is null || after is null) return _catalog = Verdict.Refused("the catalog cannot be read");
        if (compare.FirstDifferentKey(before, after, CatalogKeys) is { } key) return _catalog = Verdict.Refused($"its /{key} entry changed");
        if (after["Metadata"] is { } metadata && !compare.Same(before["Metadata"] ?? PdfNull.Instance, metadata) && final.Resolve(metadata) is not PdfStream)
        {
            return _catalog = Verdict.Refused("its new /Metadata is not a metadata stream");
        }

        var oldForm = before["AcroForm"];
        var newForm = after["AcroForm"];
        // The same indirect form is judged as an object of its own (when it is rewritten); a form added, moved or held
        // directly in the catalog is judged here.
        if (oldForm is PdfReference r1 && newForm is PdfReference r2 && r1.Id == r2.Id) return _catalog = Verdict.Allowed;
        if (newForm is null) return _catalog = oldForm is null ? Verdict.Allowed : Verdict.Refused("its /AcroForm was removed");
        return _catalog = Form();
    }

    public Verdict Form()
    {
        if (_form is not null) return _form;
        var before = signed.ResolveDictionary(signed.ResolveDictionary(signed.Trailer["Root"])?["AcroForm"]) ?? new PdfDictionary();
        var after = final.ResolveDictionary(final.ResolveDictionary(final.Trailer["Root"])?["AcroForm"]);
        if (after is null) return _form = Verdict.Refused("the form was removed");
        var allowed = FormDefaultsAllowed() ? FormKeysWithDefaults : FormKeys;
        if (NeedAppearancesTurnedOffHarmlessly(before, after)) allowed = [.. allowed, "NeedAppearances"];
        if (compare.FirstDifferentKey(before, after, allowed) is { } key) return _form = Verdict.Refused($"the form's /{key} entry changed");
        return _form = Grows(signed.Resolve(before["Fields"]), final.Resolve(after["Fields"]), "field", NewField);
    }

    /// <summary>
    /// /NeedAppearances may go from true to false (or away) only when every non-signature widget of the signed form has
    /// its own appearance (<see cref="FormAppearances"/>): viewers then show what the signed revision stored instead
    /// of an appearance they build, and signature widgets stop being drawn blank. Turning it on, or off while some
    /// field's value is shown only by a built appearance, is a change. pyHanko allows any change of the flag.
    /// </summary>
    private bool NeedAppearancesTurnedOffHarmlessly(PdfDictionary before, PdfDictionary after) =>
        FormAppearances.NeedAppearances(signed, before) && !FormAppearances.NeedAppearances(final, after) && FormAppearances.AllDrawn(signed, before);

    /// <summary>
    /// /DR and /DA may change only while every field is a signature field: a text or choice field's value is drawn
    /// again from them by viewers that regenerate appearances, so a changed font there can change what it shows.
    /// </summary>
    public bool FormDefaultsAllowed()
    {
        if (_formDefaults is { } known) return known;
        var form = final.ResolveDictionary(final.ResolveDictionary(final.Trailer["Root"])?["AcroForm"]);
        var stack = new Stack<(PdfObject Node, string? Type, int Depth)>();
        if (form is not null && final.Resolve(form["Fields"]) is PdfArray fields) foreach (var f in fields) stack.Push((f, null, 0));
        var seen = 0;
        while (stack.Count > 0)
        {
            var (node, inherited, depth) = stack.Pop();
            if (++seen > final.Limits.MaxFormFields || depth > MaxFieldDepth) return (_formDefaults = false).Value;
            if (final.ResolveDictionary(node) is not { } field) continue;
            var type = (final.Resolve(field["FT"]) as PdfName)?.Value ?? inherited;
            var kids = final.Resolve(field["Kids"]) as PdfArray;
            var hasFieldKids = kids is not null && kids.Any(k => final.ResolveDictionary(k)?.ContainsKey("T") == true);
            if (hasFieldKids)
            {
                foreach (var k in kids!) stack.Push((k, type, depth + 1));
                continue;
            }

            if (type != "Sig") return (_formDefaults = false).Value;
        }

        return (_formDefaults = true).Value;
    }

    /// <summary>The page rule for page object <paramref name="number"/> (only /Annots may change, growing by new signature widgets).</summary>
    public Verdict Page(int number)
    {
        if (_pages.TryGetValue(number, out var known)) return known;
        var after = final.GetObject(number) as PdfDictionary;
        if (!written.Contains(number) && !(after?["Annots"] is PdfReference annots && written.Contains(annots.Id.Number))) return _pages[number] = Verdict.Allowed;
        if (IsFresh(number) || signed.GetObject(number) is not PdfDictionary before || after is null) return _pages[number] = Verdict.Refused("a page was added or replaced");
        if (compare.FirstDifferentKey(before, after, PageKeys) is { } key) return _pages[number] = Verdict.Refused($"its /{key} entry changed");
        return _pages[number] = Grows(signed.Resolve(before["Annots"]), final.Resolve(after["Annots"]), "annotation", NewAnnotation);
    }

    /// <summary>Whether object <paramref name="number"/> was an unsigned signature field in the signed revision (one a later signer may sign).</summary>
    public bool WasEmptySignatureField(int number)
    {
        if (_emptySignatureFields is null)
        {
            _emptySignatureFields = [];
            var catalog = signed.ResolveDictionary(signed.Trailer["Root"]);
            foreach (var f in SignatureFields.Find(signed, catalog is null ? null : signed.ResolveDictionary(catalog["AcroForm"])))
            {
                if (!f.IsSigned && f.FieldReference is PdfReference r) _emptySignatureFields.Add(r.Id.Number);
            }
        }

        return _emptySignatureFields.Contains(number);
    }

    /// <summary>An empty signature field of the signed revision being signed: only /V, /AP, /MK and /F may change.</summary>
    public Verdict Signing(int number)
    {
        if (_signings.TryGetValue(number, out var known)) return known;
        if (signed.GetObject(number) is not PdfDictionary before || final.GetObject(number) is not PdfDictionary after) return _signings[number] = Verdict.Refused("the signature field cannot be read");
        if (compare.FirstDifferentKey(before, after, SigningKeys) is { } key) return _signings[number] = Verdict.Refused($"the signature field's /{key} entry changed");
        if (IsVisible(after))
        {
            if (!IsSignatureDictionary(final.Resolve(after["V"]))) return _signings[number] = Verdict.Refused("the signature field shows an appearance but is not signed");
            VisibleSignatureFields.Add(number);
        }

        return _signings[number] = Verdict.Allowed;
    }

    /// <summary>Every earlier item is still there, in any order; every new one passes <paramref name="admit"/>.</summary>
    private Verdict Grows(PdfObject? before, PdfObject? after, string what, Func<PdfObject, PdfArray, Dictionary<int, int>, string?> admit)
    {
        var oldItems = before as PdfArray ?? new PdfArray();
        if (after is not PdfArray newItems) return oldItems.Count == 0 ? Verdict.Allowed : Verdict.Refused($"its list of {what}s was removed");
        var remaining = new List<PdfObject>(oldItems);
        var added = new List<PdfObject>();
        foreach (var item in newItems)
        {
            var i = remaining.FindIndex(o => compare.Same(o, item));
            if (i >= 0) remaining.RemoveAt(i);
            else added.Add(item);
        }

        if (remaining.Count > 0) return Verdict.Refused($"{remaining.Count} {what}(s) of the signed revision were removed");
        var admitted = new Dictionary<int, int>();
        foreach (var item in added)
        {
            if (admit(item, newItems, admitted) is { } problem) return Verdict.Refused(problem);
        }

        return new Verdict(null, admitted);
    }

    private string? NewField(PdfObject item, PdfArray siblings, Dictionary<int, int> admitted)
    {
        if (item is not PdfReference r || !IsFresh(r.Id.Number)) return $"a field that is not a new object ({item}) was added to the form";
        if (final.ResolveDictionary(r) is not { } field || (final.Resolve(field["FT"]) as PdfName)?.Value != "Sig") return $"field {r.Id.Number} added to the form is not a signature field";
        admitted[r.Id.Number] = r.Id.Number;
        return null;
    }

    private string? NewAnnotation(PdfObject item, PdfArray siblings, Dictionary<int, int> admitted)
    {
        if (item is not PdfReference r || !IsFresh(r.Id.Number)) return $"an annotation that is not a new object ({item}) was added to the page";
        var n = r.Id.Number;
        if (final.ResolveDictionary(r) is not { } annot) return $"annotation {n} added to the page is not a dictionary";
        var subtype = (final.Resolve(annot["Subtype"]) as PdfName)?.Value;
        // Any other annotation is a change, a stamp annotation showing a signature's appearance too (this engine once
        // added one beside its widget in /NeedAppearances forms): ISO 32000 permits added annotations only at DocMDP
        // P=3, and pyHanko's analysis rejects them after any signature.
        if (subtype != "Widget") return $"annotation {n} (/{subtype}) added to the page is not a signature widget";
        if (SignatureFieldOf(annot, n) is not { } field) return $"widget {n} added to the page is not a new signature field";
        if (IsVisible(annot))
        {
            if (!IsSignatureDictionary(InheritedValue(annot))) return $"widget {n} added to the page shows an appearance but no signature signs it";
            VisibleSignatureFields.Add(field);
        }

        admitted[n] = field;
        return null;
    }

    /// <summary>
    /// The new terminal signature field a widget belongs to (itself, or the nearest parent with a name); null unless it
    /// is a signature field and every node up to its /FT is new (a widget joining a signed field would show as part of it).
    /// </summary>
    private int? SignatureFieldOf(PdfDictionary widget, int number)
    {
        var node = widget;
        var n = number;
        int? terminal = null;
        for (var depth = 0; depth < MaxFieldDepth; depth++)
        {
            if (!IsFresh(n)) return null;
            if (terminal is null && node.ContainsKey("T")) terminal = n;
            if (final.Resolve(node["FT"]) is PdfName ft) return ft.Value == "Sig" ? terminal ?? n : null;
            if (node["Parent"] is not PdfReference parent || final.ResolveDictionary(parent) is not { } p) return null;
            node = p;
            n = parent.Id.Number;
        }

        return null;
    }

    private PdfObject InheritedValue(PdfDictionary widget)
    {
        var node = widget;
        for (var depth = 0; depth < MaxFieldDepth && node is not null; depth++)
        {
            if (node["V"] is { } v) return final.Resolve(v);
            node = final.ResolveDictionary(node["Parent"]);
        }

        return PdfNull.Instance;
    }

    private static bool IsSignatureDictionary(PdfObject value) =>
        value is PdfDictionary d && d.ContainsKey("ByteRange") && d.ContainsKey("Contents");

    /// <summary>An annotation shows something unless its rectangle is empty or it is hidden (flags Hidden 2, NoView 32).</summary>
    private bool IsVisible(PdfDictionary annot)
    {
        var flags = final.Resolve(annot["F"]) is PdfInteger f ? f.Value : 0;
        if ((flags & (2 | 32)) != 0) return false;
        if (final.Resolve(annot["Rect"]) is not PdfArray { Count: 4 } rect) return false;
        double At(int i) => final.Resolve(rect[i]) switch { PdfInteger x => x.Value, PdfReal x => x.Value, _ => 0 };
        var area = Math.Abs(At(2) - At(0)) * Math.Abs(At(3) - At(1));
        return !(area <= 0); // NaN too: what a viewer makes of it is unknown
    }
}
