using System.IO.Compression;
using System.Security.Cryptography;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Writing;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// Builds the one incremental update a stamp adds: the signature dictionary, the signature field merged with its
/// widget, the appearance Form XObject and its font, the page with the widget added to /Annots, the form with the
/// field added, the catalog when it must change, and for a repaired file the objects repair had to rewrite. Then the
/// cross-reference section in the style of the file, and the trailer. In a certified document the stamp signs an
/// empty signature field instead (<see cref="StampTarget.EmptyField"/>): only that field changes, page and form stay.
/// After an earlier signature nothing else is added: an annotation beside the widget would be a change pyHanko
/// rejects and no DocMDP level below 3 permits.
/// </summary>
internal static class IncrementComposer
{
    public static ComposedIncrement Compose(
        StampTarget target,
        StampAppearance appearance,
        StampFontCache fonts,
        SignatureEntries description,
        int contentsCapacity)
    {
        var doc = target.Document;
        var page = target.Page;
        var certify = description.Certify && !target.HasEarlierSignature;
        var rebuilt = page.Rebuilt;

        var next = NextObjectNumber(doc);
        if (rebuilt?.ExistingNumber is { } missingParent && missingParent >= next) next = missingParent + 1;
        int Allocate() => next++;

        var sigNumber = Allocate();
        var into = target.EmptyField;
        var widgetId = into?.FieldReference is PdfReference existingField ? existingField.Id : new ObjectId(Allocate(), 0);
        var formNumber = Allocate();
        var fontNumber = Allocate();
        var descriptorNumber = Allocate();
        var programNumber = Allocate();
        var sigRef = new PdfReference(sigNumber, 0);
        var widgetRef = new PdfReference(widgetId);

        int? newAcroFormNumber = null;
        int? pagesRootNumber = rebuilt?.ExistingNumber;
        var newPagesRoot = rebuilt is not null && pagesRootNumber is null;
        if (newPagesRoot) pagesRootNumber = Allocate();

        // A form with /NeedAppearances true asks viewers to build appearances from field values; a signature field's
        // cannot be built from its value, and Acrobat and older poppler (Debian 12's) then show the stamp blank.
        // - No earlier signature: the same drawing is also shown by a locked stamp annotation on the same rectangle
        //   (not a widget, so never rebuilt), and the form stays as it is. Nothing signed can be invalidated by it.
        // - After an earlier signature nothing but the widget may be added: an added annotation is a change pyHanko
        //   rejects and DocMDP P=2 does not permit. The flag is then turned off when every other widget has its own
        //   appearance (nothing shown depends on it; pyHanko lets a later revision change it), and left on otherwise,
        //   since clearing it would hide text fields' values: such viewers may then draw the stamp blank.
        var needAppearances = FormAppearances.NeedAppearances(doc, target.AcroForm);
        var duplicateNumber = needAppearances && !target.HasEarlierSignature ? Allocate() : (int?)null;
        var objects = new List<(ObjectId Id, PdfObject Value)>(12);

        // The page: its /Annots gains the widget (always written as a direct array on the rewritten page, so that an
        // /Annots array shared with other pages is never changed under them). A signed empty field is there already.
        if (into is null || newPagesRoot)
        {
            var pageDict = page.Dictionary.Clone();
            if (into is null)
            {
                var annots = doc.Resolve(pageDict["Annots"]) is PdfArray existing ? existing.Clone() : new PdfArray(1);
                annots.Add(widgetRef);
                if (duplicateNumber is { } dup) annots.Add(new PdfReference(dup, 0));
                pageDict.Set("Annots", annots);
            }

            if (newPagesRoot) pageDict.Set("Parent", new PdfReference(pagesRootNumber!.Value, 0));
            objects.Add((page.Reference.Id, pageDict));
        }

        // The form: the field joins /Fields; /SigFlags 3 = SignaturesExist | AppendOnly (§12.7.2, table 225).
        PdfDictionary? newCatalog = null;
        PdfDictionary acroForm;
        if (target.AcroForm is null)
        {
            acroForm = new PdfDictionary();
            newAcroFormNumber = Allocate();
        }
        else
        {
            acroForm = target.AcroForm.Clone();
        }

        var sigFlags = doc.Resolve(acroForm["SigFlags"]) is PdfInteger flags ? flags.Value : 0;
        var clearNeedAppearances = needAppearances && target.HasEarlierSignature && FormAppearances.AllDrawn(doc, acroForm);
        if (clearNeedAppearances) acroForm.Set("NeedAppearances", PdfBoolean.False);
        // Signing an empty field leaves /Fields as it is; the form is rewritten only if /SigFlags or the flag change.
        var formChanges = into is null || (sigFlags | 3) != sigFlags || clearNeedAppearances;
        if (into is null)
        {
            var fields = doc.Resolve(acroForm["Fields"]) is PdfArray f ? f.Clone() : new PdfArray(1);
            fields.Add(widgetRef);
            acroForm.Set("Fields", fields);
        }

        acroForm.Set("SigFlags", PdfInteger.Of(sigFlags | 3));

        if (!formChanges)
        {
            // the form stays as the certification signed it
        }
        else if (newAcroFormNumber is { } afNumber)
        {
            objects.Add((new ObjectId(afNumber, 0), acroForm));
            newCatalog = target.Catalog.Clone();
            newCatalog.Set("AcroForm", new PdfReference(afNumber, 0));
        }
        else if (target.AcroFormEntry is PdfReference acroFormRef)
        {
            objects.Add((acroFormRef.Id, acroForm));
        }
        else
        {
            newCatalog = target.Catalog.Clone();
            newCatalog.Set("AcroForm", acroForm);
        }

        if (certify)
        {
            // DocMDP: the certification signature is named in the catalog's /Perms (§12.8.4.2).
            newCatalog ??= target.Catalog.Clone();
            var perms = doc.ResolveDictionary(newCatalog["Perms"])?.Clone() ?? new PdfDictionary();
            perms.Set("DocMDP", sigRef);
            newCatalog.Set("Perms", perms);
        }

        if (newPagesRoot)
        {
            newCatalog ??= target.Catalog.Clone();
            newCatalog.Set("Pages", new PdfReference(pagesRootNumber!.Value, 0));
        }

        if (newCatalog is not null) objects.Add((target.CatalogReference.Id, newCatalog));

        if (rebuilt is not null)
        {
            var kids = new PdfArray(rebuilt.Kids.Count);
            foreach (var k in rebuilt.Kids) kids.Add(k);
            var pagesNode = new PdfDictionary()
                .Set("Type", PdfName.Of("Pages"))
                .Set("Kids", kids)
                .Set("Count", PdfInteger.Of(rebuilt.Kids.Count));
            objects.Add((new ObjectId(pagesRootNumber!.Value, 0), pagesNode));
            foreach (var pageRef in rebuilt.PagesNeedingParent)
            {
                if (pageRef.Id == page.Reference.Id || doc.ResolveDictionary(pageRef) is not { } other) continue;
                objects.Add((pageRef.Id, other.Clone().Set("Parent", new PdfReference(pagesRootNumber.Value, 0))));
            }
        }

        // The signature field and its widget, merged in one dictionary (§12.7.4.1), printed, never hidden. An empty
        // field being signed keeps every entry but its value, appearance and flags (the keys signing may change).
        var placement = target.Placement;
        var appearanceEntry = new PdfDictionary().Set("N", new PdfReference(formNumber, 0));
        var widget = into is not null
            ? into.Field.Clone().Set("V", sigRef).Set("F", PdfInteger.Of(4)).Set("AP", appearanceEntry)
            : new PdfDictionary(12)
                .Set("Type", PdfName.Of("Annot"))
                .Set("Subtype", PdfName.Of("Widget"))
                .Set("FT", PdfName.Of("Sig"))
                .Set("T", PdfString.FromText(description.FieldName))
                .Set("V", sigRef)
                .Set("F", PdfInteger.Of(4))
                .Set("Rect", PdfArray.OfNumbers(placement.Rect.X1, placement.Rect.Y1, placement.Rect.X2, placement.Rect.Y2))
                .Set("P", page.Reference)
                .Set("AP", appearanceEntry);
        objects.Add((widgetId, widget));
        if (duplicateNumber is { } duplicate)
        {
            objects.Add((new ObjectId(duplicate, 0), new PdfDictionary(10)
                .Set("Type", PdfName.Of("Annot"))
                .Set("Subtype", PdfName.Of("Stamp"))
                .Set("Rect", PdfArray.OfNumbers(placement.Rect.X1, placement.Rect.Y1, placement.Rect.X2, placement.Rect.Y2))
                .Set("F", PdfInteger.Of(4 | 64 | 128 | 512)) // Print, ReadOnly, Locked, LockedContents
                .Set("P", page.Reference)
                .Set("Contents", PdfString.FromText(description.FieldName))
                .Set("AP", new PdfDictionary().Set("N", new PdfReference(formNumber, 0)))));
        }


        // The appearance: upright drawing in [0 0 w h], turned by /Matrix against the page's /Rotate.
        var formDict = new PdfDictionary(8)
            .Set("Type", PdfName.Of("XObject"))
            .Set("Subtype", PdfName.Of("Form"))
            .Set("BBox", PdfArray.OfNumbers(0, 0, appearance.Width, appearance.Height))
            .Set("Matrix", PdfArray.OfNumbers(placement.MatrixFor(appearance.Width, appearance.Height)))
            .Set("Resources", new PdfDictionary().Set("Font", new PdfDictionary().Set(StampAppearance.FontResourceName, new PdfReference(fontNumber, 0))));
        // Not compressed: the drawing is ~3 KB of short operators; deflating it costs more time per stamp than hashing
        // and writing the 2 KB it would save.
        objects.Add((new ObjectId(formNumber, 0), new PdfStream(formDict, appearance.Content)));

        var font = appearance.Font;
        var parts = fonts.Get(font);
        objects.Add((new ObjectId(fontNumber, 0), new PdfDictionary(10)
            .Set("Type", PdfName.Of("Font"))
            .Set("Subtype", PdfName.Of("TrueType"))
            .Set("BaseFont", PdfName.Of(font.BaseFont))
            .Set("FirstChar", PdfInteger.Of(font.FirstChar))
            .Set("LastChar", PdfInteger.Of(font.LastChar))
            .Set("Widths", parts.Widths)
            .Set("Encoding", PdfName.Of("WinAnsiEncoding"))
            .Set("FontDescriptor", new PdfReference(descriptorNumber, 0))));
        objects.Add((new ObjectId(descriptorNumber, 0), new PdfDictionary(12)
            .Set("Type", PdfName.Of("FontDescriptor"))
            .Set("FontName", PdfName.Of(font.BaseFont))
            .Set("Flags", PdfInteger.Of(font.Flags))
            .Set("FontBBox", parts.FontBBox)
            .Set("ItalicAngle", PdfInteger.Of(font.ItalicAngle))
            .Set("Ascent", PdfInteger.Of(font.Ascent))
            .Set("Descent", PdfInteger.Of(font.Descent))
            .Set("CapHeight", PdfInteger.Of(font.CapHeight))
            .Set("StemV", PdfInteger.Of(font.StemV))
            .Set("FontFile2", new PdfReference(programNumber, 0))));
        objects.Add((new ObjectId(programNumber, 0), new PdfStream(
            new PdfDictionary().Set("Length1", PdfInteger.Of(parts.ProgramLength)).Set("Filter", PdfName.Of("FlateDecode")),
            parts.CompressedProgram)));

        // Repair: objects whose own bytes were flawed (wrong /Length, no endobj) are written again, clean.
        if (doc.Recovery is { } recovery)
        {
            var written = objects.Select(o => o.Id.Number).ToHashSet();
            foreach (var number in recovery.FlawedObjects.Keys.Order())
            {
                if (written.Contains(number)) continue;
                var value = doc.GetObject(number);
                // An old cross-reference stream is not part of the document: the new section replaces it.
                if (value is PdfNull || value is PdfStream { Dictionary: var d } && d["Type"] is PdfName { Value: "XRef" }) continue;
                var id = new ObjectId(number, doc.GenerationOf(number));
                if (value is PdfStream { InFile: true } cut && doc.IsTruncatedStream(number)) value = RepairTruncatedStream(doc, cut, id);
                objects.Add((id, value));
            }

            // A number the file refers to without defining it is null to every reader; defined as null, no reader
            // meets a reference to a number without an object (poppler rebuilds a classic table when it does).
            foreach (var (number, generation) in recovery.DanglingReferences)
            {
                if (number < next && !written.Contains(number)) objects.Add((new ObjectId(number, generation), PdfNull.Instance));
            }
        }

        // The signature dictionary goes last: everything before its /Contents is hashed once (the digest to sign and
        // the digest of the whole output share that prefix), only the few bytes after it twice.
        objects.Add((new ObjectId(sigNumber, 0), SignatureDictionary(description, certify, contentsCapacity)));

        // Each object is written once. Only a self-contradictory damaged file (one object serving as two things the
        // stamp changes) could ask for more; it is refused rather than given an update that contradicts itself.
        var numbers = new HashSet<int>();
        foreach (var (id, _) in objects)
        {
            if (!numbers.Add(id.Number))
            {
                throw new PdfFormatException(PdfErrorCodes.Malformed, $"object {id.Number} plays two parts in the document (for instance a page that is also the form): the file is damaged beyond repair");
            }
        }

        return Write(target, objects, next, contentsCapacity, certify);
    }

    private static ComposedIncrement Write(StampTarget target, List<(ObjectId Id, PdfObject Value)> objects, int next, int contentsCapacity, bool certify)
    {
        var doc = target.Document;
        var startOnNewLine = doc.LastByte is not ('\n' or '\r');
        var capacity = 24 * 1024 + contentsCapacity * 2;
        var writer = new IncrementWriter(doc.Length, doc.Security, doc.Source, startOnNewLine, capacity);
        foreach (var (id, value) in objects) writer.Add(id, value, encrypt: id.Number != doc.EncryptObjectNumber);

        var trailer = TrailerFor(doc);
        if (doc.IsRecovered)
        {
            var style = doc.Xref.Entries.Values.Any(e => e.Type == XrefEntryType.Compressed) ? XrefStyle.Stream : XrefStyle.Table;
            writer.WriteFullXref(style, trailer, doc.Xref, next);
        }
        else
        {
            var style = doc.Sections[0].Kind == XrefSectionKind.Stream ? XrefStyle.Stream : XrefStyle.Table;
            writer.WriteIncrementalXref(style, trailer, doc.StartXref, next);
        }

        var serializer = writer.Serializer;
        var buffer = writer.Buffer.WrittenSpan;
        var contentsStart = doc.Length + serializer.ContentsPosition;
        var contentsEnd = contentsStart + serializer.ContentsLength;
        var total = doc.Length + buffer.Length;
        long[] byteRange = [0, contentsStart, contentsEnd, total - contentsEnd];
        var text = System.Text.Encoding.ASCII.GetBytes(FormattableString.Invariant($"[0 {byteRange[1]} {byteRange[2]} {byteRange[3]}]"));
        text.CopyTo(buffer.Slice(serializer.ByteRangePosition, ByteRangePlaceholder.Width));
        // The pooled buffer passes to the increment, which returns it when the stamp is done.
        return new ComposedIncrement(writer.Buffer, doc.Length, serializer.ContentsPosition, serializer.ContentsLength, byteRange, certify);
    }

    /// <summary>
    /// The new trailer: every document key of the file's trailer (never /Prev, /XRefStm or a cross-reference stream's own
    /// keys), /ID[0] kept and /ID[1] renewed. A repaired file gets only the keys that still lead somewhere.
    /// </summary>
    private static PdfDictionary TrailerFor(PdfDocument doc)
    {
        PdfDictionary trailer;
        if (doc.IsRecovered)
        {
            trailer = new PdfDictionary();
            foreach (var key in new[] { "Root", "Info", "Encrypt" })
            {
                if (doc.Trailer[key] is PdfReference r && doc.Resolve(r) is PdfDictionary) trailer.Set(key, r);
            }
        }
        else
        {
            trailer = doc.Trailer.Clone();
            trailer.Remove("Size");
        }

        var first = doc.Resolve(doc.Trailer["ID"]) is PdfArray { Count: > 0 } ids && doc.Resolve(ids[0]) is PdfString s && s.Bytes.Length > 0 ? s.Bytes : null;
        var fresh = RandomNumberGenerator.GetBytes(16);
        trailer.Set("ID", new PdfArray([new PdfString(first ?? fresh, isHex: true), new PdfString(fresh, isHex: true)]));
        return trailer;
    }

    private static PdfDictionary SignatureDictionary(SignatureEntries d, bool certify, int contentsCapacity)
    {
        var sig = new PdfDictionary(12)
            .Set("Type", PdfName.Of("Sig"))
            .Set("Filter", PdfName.Of("Adobe.PPKLite"))
            .Set("SubFilter", PdfName.Of("ETSI.CAdES.detached"))
            .Set("ByteRange", ByteRangePlaceholder.Instance)
            .Set("Contents", new ContentsPlaceholder(contentsCapacity))
            .Set("Reason", PdfString.FromText(d.Reason))
            .Set("M", PdfString.FromText(SignatureEntries.FormatDate(d.SigningTime)));
        if (d.SignerName is { } name) sig.Set("Name", PdfString.FromText(name));
        if (d.Location is { } location) sig.Set("Location", PdfString.FromText(location));
        if (d.ContactInfo is { } contact) sig.Set("ContactInfo", PdfString.FromText(contact));
        if (certify)
        {
            // P=2: later form filling and signing stay allowed (the applicant's own signature, other stamps).
            var parameters = new PdfDictionary()
                .Set("Type", PdfName.Of("TransformParams"))
                .Set("P", PdfInteger.Of(2))
                .Set("V", PdfName.Of("1.2"));
            var reference = new PdfDictionary()
                .Set("Type", PdfName.Of("SigRef"))
                .Set("TransformMethod", PdfName.Of("DocMDP"))
                .Set("TransformParams", parameters);
            sig.Set("Reference", new PdfArray([reference]));
        }

        return sig;
    }

    /// <summary>
    /// A stream the file cuts short: when it is deflate data, whatever inflates cleanly is compressed again, so the
    /// rewritten object decodes without error (copying the cut bytes would leave a broken stream in the clean file).
    /// </summary>
    private static PdfObject RepairTruncatedStream(PdfDocument doc, PdfStream stream, ObjectId id)
    {
        var filter = doc.Resolve(stream.Dictionary["Filter"]);
        if (filter is PdfArray { Count: 1 } single) filter = doc.Resolve(single[0]);
        if (filter is not PdfName { Value: "FlateDecode" or "Fl" }) return stream;
        byte[] inflated;
        try
        {
            inflated = Filters.FlateDecoder.Decode(doc.ReadRawStream(stream, id), doc.Limits.MaxDecodedStreamBytes);
        }
        catch (PdfFormatException)
        {
            inflated = [];
        }

        var dict = stream.Dictionary.Clone();
        dict.Remove("Length");
        return new PdfStream(dict, Deflate(inflated));
    }

    private static int NextObjectNumber(PdfDocument doc)
    {
        var max = doc.Xref.MaxObjectNumber;
        // A repaired file's dangling references keep their numbers: a new object taking one would answer them.
        if (doc.Recovery is { DanglingReferences.Count: > 0 } recovery) max = Math.Max(max, recovery.DanglingReferences.Keys.Max());
        if (!doc.IsRecovered && doc.Resolve(doc.Trailer["Size"]) is PdfInteger { Value: > 0 } size && size.Value <= doc.Limits.MaxObjectNumber)
        {
            return (int)Math.Max(size.Value, max + 1);
        }

        return max + 1;
    }

    private static byte[] Deflate(byte[] content)
    {
        using var output = new MemoryStream(content.Length / 2 + 64);
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) z.Write(content);
        return output.ToArray();
    }
}
