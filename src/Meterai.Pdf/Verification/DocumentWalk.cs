using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Verification;

/// <summary>Which rule judges a rewritten object of the signed document, from where the walk met it.</summary>
internal enum StructureRole : byte
{
    Catalog,
    Form,
    FieldsArray,
    Page,
    AnnotsArray,
    Signing,
}

/// <summary>How the walk reached one object number.</summary>
internal sealed class Reach
{
    /// <summary>Reached from the document itself (not only from an allowed place).</summary>
    public bool InDocument { get; set; }

    public HashSet<Place> Allowed { get; } = [];

    public HashSet<(StructureRole Role, int Owner)> Roles { get; } = [];

    /// <summary>The objects (0: the trailer) that refer to it from the document, the first <see cref="MaxReferrers"/> of them.</summary>
    public List<int> DocumentReferrers { get; } = [];

    /// <summary>More objects of the document refer to it than <see cref="DocumentReferrers"/> holds.</summary>
    public bool ManyReferrers { get; set; }

    public const int MaxReferrers = 16;
}

/// <summary>
/// Follows every reference of the final document from its trailer — through the signed objects too, since an
/// object the signed revision referred to without defining it becomes part of what it shows once it is defined —
/// and records for each object number whether the document reaches it, or only an allowed place
/// (<see cref="AllowedPlace"/>). Structure-aware only where the allow-list needs it: the catalog's keys, the form's
/// /Fields, each page's /Annots, empty signature fields being signed. From an allowed place only objects the signed
/// revision did not have are followed: an older object met there is the document's, judged where the document reaches it.
/// </summary>
internal sealed class DocumentWalk
{
    /// <summary>Most objects visited: a file past this is not analysed (its later revisions count as changes).</summary>
    public const int MaxVisits = 1_000_000;

    private static readonly HashSet<string> MetadataKeys = ["Metadata", "Extensions", "Version", "MarkInfo"];

    private readonly PdfDocument _final;
    private readonly StructureRules _rules;
    private readonly Dictionary<int, Reach> _reached = [];
    private readonly HashSet<(int Number, Place Place, Role Role)> _visited = [];
    private readonly Stack<Item> _stack = new();

    private DocumentWalk(PdfDocument final, StructureRules rules)
    {
        _final = final;
        _rules = rules;
    }

    private enum Role : byte
    {
        None,
        Trailer,
        Catalog,
        Form,
        FieldsArray,
        PageTree,
        AnnotsArray,
    }

    public IReadOnlyDictionary<int, Reach> Reached => _reached;

    /// <summary>Walks <paramref name="final"/>; throws <see cref="PdfFormatException"/> past <see cref="MaxVisits"/>.</summary>
    public static DocumentWalk Run(PdfDocument final, StructureRules rules)
    {
        var walk = new DocumentWalk(final, rules);
        walk._stack.Push(new Item(final.Trailer, 0, Place.Document, Role.Trailer, 0, false, 0));
        while (walk._stack.TryPop(out var item))
        {
            WorkBudget.Tick();
            walk.Visit(item);
        }
        return walk;
    }

    private void Visit(Item item)
    {
        switch (item.Value)
        {
            case PdfReference r:
                Follow(r, item);
                break;
            case PdfStream s:
                Visit(item with { Value = s.Dictionary });
                break;
            case PdfArray a:
                VisitArray(a, item);
                break;
            case PdfDictionary d:
                if (item.Depth > _final.Limits.MaxNestingDepth) return;
                VisitDictionary(d, item);
                break;
        }
    }

    private void Follow(PdfReference r, Item from)
    {
        var n = r.Id.Number;
        if (n <= 0) return;
        var reach = ReachOf(n);
        if (from.Place.IsDocument)
        {
            reach.InDocument = true;
            if (!reach.DocumentReferrers.Contains(from.Holder))
            {
                if (reach.DocumentReferrers.Count < Reach.MaxReferrers) reach.DocumentReferrers.Add(from.Holder);
                else reach.ManyReferrers = true;
            }

            if (from.Role == Role.Catalog) reach.Roles.Add((StructureRole.Catalog, n));
            if (from.Role == Role.Form) reach.Roles.Add((StructureRole.Form, n));
            if (from.Role == Role.FieldsArray) reach.Roles.Add((StructureRole.FieldsArray, from.Aux));
            if (from.Role == Role.AnnotsArray) reach.Roles.Add((StructureRole.AnnotsArray, from.Aux));
        }
        else
        {
            reach.Allowed.Add(from.Place);
            if (!_rules.IsFresh(n)) return;
        }

        if (!_visited.Add((n, from.Place, from.Role))) return;
        if (_visited.Count > MaxVisits) throw PdfFormatException.Limit($"the document has more than {MaxVisits} objects to analyse");
        _stack.Push(new Item(_final.GetObject(n), n, from.Place, from.Role, from.Aux, true, 0));
    }

    private void VisitArray(PdfArray array, Item item)
    {
        IReadOnlyDictionary<int, int>? admitted = item.Role switch
        {
            Role.FieldsArray when item.Place.IsDocument => _rules.Form().NewItems,
            Role.AnnotsArray when item.Place.IsDocument => _rules.Page(item.Aux).NewItems,
            _ => null,
        };
        var elementRole = item.Role == Role.PageTree ? Role.PageTree : Role.None;
        foreach (var element in array)
        {
            if (admitted is not null && element is PdfReference e && admitted.TryGetValue(e.Id.Number, out var field))
            {
                Push(element, item, new Place(AllowedPlace.LaterSignature, field), Role.None);
            }
            else
            {
                Push(element, item, item.Place, elementRole);
            }
        }
    }

    private void VisitDictionary(PdfDictionary d, Item item)
    {
        if (!item.Place.IsDocument)
        {
            foreach (var (_, value) in d.Entries) Push(value, item, item.Place, Role.None);
            return;
        }

        switch (item.Role)
        {
            case Role.Trailer:
                if (d["Root"] is { } root) Push(root, item, Place.Document, Role.Catalog);
                if (d["Info"] is { } info) Push(info, item, new Place(AllowedPlace.DocumentInformation, 0), Role.None);
                if (d["Encrypt"] is { } encrypt) Push(encrypt, item, Place.Document, Role.None);
                return;
            case Role.Catalog:
                foreach (var (key, value) in d.Entries)
                {
                    if (key == "AcroForm") Push(value, item, Place.Document, Role.Form);
                    else if (key == "DSS") Push(value, item, new Place(AllowedPlace.SecurityStore, 0), Role.None);
                    else if (MetadataKeys.Contains(key)) Push(value, item, new Place(AllowedPlace.Metadata, 0), Role.None);
                    else if (key == "Pages") Push(value, item, Place.Document, Role.PageTree);
                    else Push(value, item, Place.Document, Role.None);
                }

                return;
            case Role.Form:
                var defaults = _rules.FormDefaultsAllowed() ? new Place(AllowedPlace.FormDefaults, 0) : Place.Document;
                foreach (var (key, value) in d.Entries)
                {
                    if (key == "Fields") Push(value, item with { Aux = item.Holder }, Place.Document, Role.FieldsArray);
                    else Push(value, item, key is "DR" or "DA" ? defaults : Place.Document, Role.None);
                }

                return;
        }

        if (item.TopLevel && IsPage(d, item.Role))
        {
            ReachOf(item.Holder).Roles.Add((StructureRole.Page, item.Holder));
            foreach (var (key, value) in d.Entries) Push(value, item with { Aux = item.Holder }, Place.Document, key == "Annots" ? Role.AnnotsArray : Role.None);
            return;
        }

        if (item.Role == Role.PageTree)
        {
            foreach (var (key, value) in d.Entries) Push(value, item, Place.Document, key == "Kids" ? Role.PageTree : Role.None);
            return;
        }

        if (item.TopLevel && _rules.WasEmptySignatureField(item.Holder))
        {
            ReachOf(item.Holder).Roles.Add((StructureRole.Signing, item.Holder));
            var signing = new Place(AllowedPlace.LaterSignature, item.Holder);
            foreach (var (key, value) in d.Entries) Push(value, item, key is "V" or "AP" or "MK" ? signing : Place.Document, Role.None);
            return;
        }

        foreach (var (_, value) in d.Entries) Push(value, item, Place.Document, Role.None);
    }

    /// <summary>A page: a leaf of the page tree, or anything that says it is one.</summary>
    private bool IsPage(PdfDictionary d, Role role) =>
        role == Role.PageTree && !d.ContainsKey("Kids") || (_final.Resolve(d["Type"]) as PdfName)?.Value == "Page";

    private void Push(PdfObject value, Item from, Place place, Role role)
    {
        if (value is PdfReference or PdfArray or PdfDictionary or PdfStream) _stack.Push(new Item(value, from.Holder, place, role, from.Aux, false, from.Depth + 1));
    }

    private Reach ReachOf(int number)
    {
        if (!_reached.TryGetValue(number, out var reach)) _reached[number] = reach = new Reach();
        return reach;
    }

    /// <param name="Holder">The object the value belongs to (0: the trailer).</param>
    /// <param name="Aux">The page whose /Annots, or the form whose /Fields, the value is.</param>
    /// <param name="TopLevel">The value is the object itself, not a value inside it.</param>
    private readonly record struct Item(PdfObject Value, int Holder, Place Place, Role Role, int Aux, bool TopLevel, int Depth);
}
