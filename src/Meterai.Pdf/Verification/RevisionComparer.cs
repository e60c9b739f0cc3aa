using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Verification;

/// <summary>
/// Decides what the revisions after a signature changed, in the spirit of pyHanko's difference analysis but bounded
/// and simple: the signed revision is opened on its own (the file cut where the signature's byte range ends), every
/// object a later cross-reference section lists is compared with its signed version, and each change must fit a
/// short list of harmless ones — the catalog gaining /AcroForm or /DSS, the form's field list and flags growing, a page
/// gaining signature widgets in /Annots, an empty signature field being signed. Added objects are harmless by
/// themselves: they only matter through a changed object, and every changed object is checked.
/// </summary>
internal static class RevisionComparer
{
    private const int MaxComparedObjects = 20_000;

    private static readonly HashSet<string> CatalogKeys = ["AcroForm", "DSS", "Extensions"];
    private static readonly HashSet<string> FormKeys = ["Fields", "SigFlags", "DR", "DA"];
    private static readonly HashSet<string> SigningKeys = ["V", "AP", "F", "MK"];
    private static readonly HashSet<string> DssKeys = ["Type", "Certs", "OCSPs", "CRLs", "VRI", "TU", "TS"];
    private static readonly HashSet<string> PageKeys = ["Annots"];

    public static (ModificationLevel Level, ChangeNotes Notes) Compare(PdfDocument final, long revisionEnd, string? password)
    {
        var notes = new ChangeNotes(final.Limits.MaxChangeNotes);
        if (revisionEnd >= final.Length) return (ModificationLevel.None, notes);
        if (final.IsRecovered)
        {
            notes.Add("the file's cross-reference data is damaged: later revisions cannot be told apart");
            return (ModificationLevel.Changed, notes);
        }

        var later = final.Sections.Where(s => s.Offset >= revisionEnd).ToList();
        if (later.Count == 0)
        {
            if (!OnlyWhitespaceAfter(final, revisionEnd)) notes.Add($"{final.Length - revisionEnd} bytes follow the signed revision but no reader uses them");
            return (notes.Count == 0 ? ModificationLevel.None : ModificationLevel.Harmless, notes);
        }

        PdfDocument signed;
        try
        {
            signed = PdfDocument.Open(new PrefixByteSource(final.Source, revisionEnd), final.Limits, password);
        }
        catch (Exception e) when (e is PdfDamageException or PdfFormatException)
        {
            notes.Add($"the signed revision cannot be read on its own ({e.Message})");
            return (ModificationLevel.Changed, notes);
        }

        var level = ModificationLevel.Harmless;
        var context = new Context(signed, final, notes);
        try
        {
            if (!SameReference(signed.Trailer["Root"], final.Trailer["Root"]) || !SameReference(signed.Trailer["Encrypt"], final.Trailer["Encrypt"]))
            {
                notes.Add("the trailer names another catalog or encryption");
                return (ModificationLevel.Changed, notes);
            }

            var xrefStreams = later.Select(s => s.StreamObjectNumber).Concat(later.Select(s => s.HybridStreamNumber)).Where(n => n > 0).ToHashSet();
            var candidates = new SortedSet<int>();
            foreach (var section in later)
            {
                foreach (var (n, _) in section.Entries) candidates.Add(n);
                if (section.HybridEntries is { } hybrid) foreach (var (n, _) in hybrid) candidates.Add(n);
                if (candidates.Count > MaxComparedObjects)
                {
                    notes.Add($"later revisions rewrite more than {MaxComparedObjects} objects");
                    return (ModificationLevel.Changed, notes);
                }
            }

            foreach (var n in candidates)
            {
                WorkBudget.Tick();
                if (xrefStreams.Contains(n)) continue;
                if (!context.CheckObject(n)) level = ModificationLevel.Changed;
            }
        }
        catch (Exception e) when (e is PdfDamageException or PdfFormatException)
        {
            notes.Add($"a later revision cannot be read ({e.Message})");
            return (ModificationLevel.Changed, notes);
        }

        return (level, notes);
    }

    private static bool OnlyWhitespaceAfter(PdfDocument doc, long from)
    {
        Span<byte> buffer = stackalloc byte[4096];
        for (var at = from; at < doc.Length; at += buffer.Length)
        {
            var n = doc.Source.ReadAt(at, buffer);
            foreach (var b in buffer[..n])
            {
                if (!Lexer.IsWhitespace(b)) return false;
            }

            if (n == 0) break;
        }

        return true;
    }

    private static bool SameReference(PdfObject? a, PdfObject? b) => (a, b) switch
    {
        (null, null) => true,
        (PdfReference x, PdfReference y) => x.Id == y.Id,
        _ => false,
    };

    private sealed class Context(PdfDocument signed, PdfDocument final, ChangeNotes notes)
    {
        private readonly int _catalog = (signed.Trailer["Root"] as PdfReference)?.Id.Number ?? 0;

        /// <summary>True when object <paramref name="n"/> is unchanged, new, or changed harmlessly.</summary>
        public bool CheckObject(int n)
        {
            var inFinal = final.Xref.TryGet(n, out var now) && now.Type != XrefEntryType.Free;
            var inSigned = signed.Xref.TryGet(n, out var then) && then.Type != XrefEntryType.Free;
            if (!inSigned) return true; // added: harmless unless a changed object makes use of it, which is checked there
            if (!inFinal)
            {
                notes.Add($"object {n} was deleted");
                return false;
            }

            if (now == then) return true;
            var before = signed.GetObject(n);
            var after = final.GetObject(n);
            if (DeepEquals(before, after, 0)) return true;

            var ok = Classify(n, before, after);
            if (!ok) notes.Add($"object {n} ({Describe(before)}) was changed");
            return ok;
        }

        private bool Classify(int n, PdfObject before, PdfObject after)
        {
            if (before is PdfArray oldArray && after is PdfArray newArray) return GrowsWithSignaturesOnly(oldArray, newArray);
            if (before is not PdfDictionary oldDict || after is not PdfDictionary newDict) return false;
            if (n == _catalog) return CatalogChangeIsHarmless(oldDict, newDict);
            var type = (oldDict["Type"] as PdfName)?.Value;
            if (type == "Page") return OnlyKeys(oldDict, newDict, PageKeys) && GrowsWithSignaturesOnly(signed.Resolve(oldDict["Annots"]), final.Resolve(newDict["Annots"]));
            if (IsForm(n)) return FormChangeIsHarmless(oldDict, newDict);
            if (type == "DSS" || oldDict.Keys.All(DssKeys.Contains) && newDict.Keys.All(DssKeys.Contains)) return true;
            if (IsSignatureField(signed, oldDict) && !oldDict.ContainsKey("V")) return OnlyKeys(oldDict, newDict, SigningKeys);
            return false;
        }

        private bool IsForm(int n) =>
            signed.ResolveDictionary(signed.Trailer["Root"]) is { } catalog && catalog["AcroForm"] is PdfReference r && r.Id.Number == n;

        private bool CatalogChangeIsHarmless(PdfDictionary before, PdfDictionary after)
        {
            if (!OnlyKeys(before, after, CatalogKeys)) return false;
            var oldForm = before["AcroForm"];
            var newForm = after["AcroForm"];
            // A form added, or the same indirect form (then checked as an object of its own), is fine here.
            if (oldForm is null || (oldForm is PdfReference r1 && newForm is PdfReference r2 && r1.Id == r2.Id)) return true;
            // A form held directly in the catalog, or moved, is compared by the form's rules.
            return signed.ResolveDictionary(oldForm) is { } o && final.ResolveDictionary(newForm) is { } n && FormChangeIsHarmless(o, n);
        }

        private bool FormChangeIsHarmless(PdfDictionary before, PdfDictionary after) =>
            OnlyKeys(before, after, FormKeys) && GrowsWithSignaturesOnly(signed.Resolve(before["Fields"]), final.Resolve(after["Fields"]));

        /// <summary>Every earlier element is still there and every new one is a signature field or its widget.</summary>
        private bool GrowsWithSignaturesOnly(PdfObject? before, PdfObject? after)
        {
            var oldItems = before is PdfArray a ? a : new PdfArray();
            if (after is not PdfArray newItems) return oldItems.Count == 0;
            var remaining = new List<PdfObject>(oldItems);
            foreach (var item in newItems)
            {
                var i = remaining.FindIndex(o => DeepEquals(o, item, 0));
                if (i >= 0)
                {
                    remaining.RemoveAt(i);
                    continue;
                }

                if (final.ResolveDictionary(item) is not { } added) return false;
                if (!IsSignatureField(final, added) && !IsSignatureAppearanceCopy(added, newItems)) return false;
            }

            return remaining.Count == 0;
        }

        /// <summary>
        /// A stamp annotation that shows the same appearance stream as a signature widget in the same /Annots: what
        /// the stamping engine adds for forms with /NeedAppearances, so older viewers show the stamp too.
        /// </summary>
        private bool IsSignatureAppearanceCopy(PdfDictionary annot, PdfArray siblings)
        {
            if (final.Resolve(annot["Subtype"]) is not PdfName { Value: "Stamp" }) return false;
            if (final.ResolveDictionary(annot["AP"])?["N"] is not PdfReference drawing) return false;
            foreach (var sibling in siblings)
            {
                if (final.ResolveDictionary(sibling) is { } s && IsSignatureField(final, s) && final.ResolveDictionary(s["AP"])?["N"] is PdfReference n && n.Id == drawing.Id) return true;
            }

            return false;
        }

        private bool OnlyKeys(PdfDictionary before, PdfDictionary after, HashSet<string> allowed)
        {
            foreach (var key in before.Keys.Union(after.Keys))
            {
                if (allowed.Contains(key)) continue;
                var x = before[key];
                var y = after[key];
                if (x is null || y is null || !DeepEquals(x, y, 0)) return false;
            }

            return true;
        }

        private static bool IsSignatureField(PdfDocument doc, PdfDictionary dict)
        {
            var node = dict;
            for (var depth = 0; depth < 16 && node is not null; depth++)
            {
                if (doc.Resolve(node["FT"]) is PdfName ft) return ft.Value == "Sig";
                node = doc.ResolveDictionary(node["Parent"]);
            }

            return false;
        }

        private static string Describe(PdfObject o) => o switch
        {
            PdfDictionary d => d["Type"] is PdfName t ? "/" + t.Value : "dictionary",
            PdfStream s => s.Dictionary["Type"] is PdfName t ? "/" + t.Value + " stream" : "stream",
            PdfArray => "array",
            _ => o.GetType().Name,
        };

        private bool DeepEquals(PdfObject a, PdfObject b, int depth)
        {
            WorkBudget.Tick();
            if (ReferenceEquals(a, b)) return true;
            if (depth > signed.Limits.MaxNestingDepth) return false;
            switch (a, b)
            {
                case (PdfReference x, PdfReference y): return x.Id == y.Id;
                case (PdfInteger x, PdfInteger y): return x.Value == y.Value;
                case (PdfReal x, PdfReal y): return x.Value.Equals(y.Value);
                case (PdfInteger x, PdfReal y): return x.Value == y.Value;
                case (PdfReal x, PdfInteger y): return x.Value == y.Value;
                case (PdfName x, PdfName y): return x.Equals(y);
                case (PdfString x, PdfString y): return x.Bytes.AsSpan().SequenceEqual(y.Bytes);
                case (PdfBoolean x, PdfBoolean y): return x.Value == y.Value;
                case (PdfNull, PdfNull): return true;
                case (PdfArray x, PdfArray y):
                    if (x.Count != y.Count) return false;
                    for (var i = 0; i < x.Count; i++)
                    {
                        if (!DeepEquals(x[i], y[i], depth + 1)) return false;
                    }

                    return true;
                case (PdfDictionary x, PdfDictionary y):
                    if (x.Count != y.Count) return false;
                    foreach (var (k, v) in x.Entries)
                    {
                        if (y[k] is not { } w || !DeepEquals(v, w, depth + 1)) return false;
                    }

                    return true;
                case (PdfStream x, PdfStream y):
                    return x.Length == y.Length && DeepEquals(x.Dictionary, y.Dictionary, depth + 1) && SameData(x, y);
                default:
                    return false;
            }
        }

        private bool SameData(PdfStream x, PdfStream y)
        {
            if (x.DataOffset == y.DataOffset) return true;
            var limit = signed.Limits.MaxDecodedStreamBytes;
            if (x.Length > limit) return false;
            var bx = new byte[x.Length];
            var by = new byte[y.Length];
            signed.Source.ReadAt(x.DataOffset, bx);
            final.Source.ReadAt(y.DataOffset, by);
            return bx.AsSpan().SequenceEqual(by);
        }
    }
}
