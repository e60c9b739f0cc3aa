using System.Text;
using Meterai.Bench;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Stamping;
using Meterai.Pdf.Writing;

namespace Meterai.Pdf.Tests.Verification;

/// <summary>A stamped file and the numbers of the objects an update may touch (read with the engine's parser); <see cref="Form"/> is 0 when the catalog holds the form directly.</summary>
internal sealed record StampedBase(string Name, byte[] Bytes, bool XrefStream, int Catalog, int Pages, int[] PageNumbers, int Content, int? Font, int Form, int Widget, int Appearance, int Signature)
{
    public static StampedBase Of(string name, byte[] input)
    {
        var (stamped, _) = StampTestKit.Stamp(input);
        StampTestKit.AssertSound(input, stamped, $"fuzz-base-{name}.pdf");
        var doc = PdfDocument.Open(new MemoryByteSource(stamped), PdfLimits.Default, null);
        var catalogRef = (PdfReference)doc.Trailer["Root"]!;
        var catalog = doc.ResolveDictionary(catalogRef)!;
        var pagesRef = (PdfReference)catalog["Pages"]!;
        var kids = (PdfArray)doc.Resolve(doc.ResolveDictionary(pagesRef)!["Kids"]);
        var pages = kids.Cast<PdfReference>().Select(k => k.Id.Number).ToArray();
        var page = PageTree.Locate(doc, catalog, 1).Dictionary;
        var content = (PdfReference)page["Contents"]!;
        var font = doc.ResolveDictionary(doc.ResolveDictionary(page["Resources"])?["Font"])?["F1"] as PdfReference;
        var widgetRef = (PdfReference)((PdfArray)doc.Resolve(page["Annots"]))[^1];
        var widget = doc.ResolveDictionary(widgetRef)!;
        var appearance = (PdfReference)doc.ResolveDictionary(widget["AP"])!["N"]!;
        return new StampedBase(name, stamped, doc.Sections[0].Kind == XrefSectionKind.Stream, catalogRef.Id.Number, pagesRef.Id.Number, pages,
            content.Id.Number, font?.Id.Number, (catalog["AcroForm"] as PdfReference)?.Id.Number ?? 0, widgetRef.Id.Number, appearance.Id.Number, ((PdfReference)widget["V"]!).Id.Number);
    }

    public PdfDocument Open() => PdfDocument.Open(new MemoryByteSource(Bytes), PdfLimits.Default, null);
}

/// <summary>One generated update: the file, what kind it is and whether the allow-list admits it (known by construction).</summary>
internal sealed record GeneratedUpdate(string Kind, bool Allowed, byte[] File)
{
    /// <summary>
    /// The update changes only the objects of the base's last stamp (kinds "stamp-…"): that stamp's verdict must say
    /// changed; an earlier one may count a later signature's own widget hidden or blanked as its business.
    /// </summary>
    public bool TouchesLastStampOnly => Kind.StartsWith("stamp-", StringComparison.Ordinal);
}

/// <summary>
/// Generates appended updates to stamped files, each labelled by construction as allowed (later signatures, DSS,
/// document timestamps, document information and metadata, bookkeeping) or not (content, annotations, widgets,
/// XObjects, defined dangling references, catalog and form edits, freed objects, …), written with cross-reference
/// tables or streams and with objects plain or in object streams. Seeded: the same seed gives the same updates.
/// </summary>
internal sealed class UpdateGenerator
{
    private readonly IReadOnlyList<StampedBase> _bases;
    private readonly Random _rng;
    private readonly (string Kind, bool Allowed, Mutation Make)[] _kinds;

    public UpdateGenerator(IReadOnlyList<StampedBase> bases, int seed)
    {
        _bases = bases;
        _rng = new Random(seed);
        _kinds = Kinds();
    }

    private delegate byte[]? Mutation(StampedBase b, PdfUpdate u, PdfDocument d);

    /// <summary>Every kind of update, labelled: true when the allow-list must rate it harmless.</summary>
    public IReadOnlyList<(string Kind, bool Allowed)> KindNames => [.. _kinds.Select(k => (k.Kind, k.Allowed))];

    private (string Kind, bool Allowed, Mutation Make)[] Kinds() =>
    [
        ("content-rewritten", false, (b, u, d) => u.AddStream(b.Content, "", "BT /F1 30 Tf 100 400 Td (DIUBAH) Tj ET").Write(b.XrefStream)),
        ("content-appended", false, (b, u, d) => Page(u, d, b, p => p.Set("Contents", new PdfArray([Ref(b.Content), Ref(NewStream(u, "", "1 g 0 0 595 842 re f"))])))),
        ("page-mediabox", false, (b, u, d) => Page(u, d, b, p => p.Set("MediaBox", PdfArray.OfNumbers(0, 0, 300, 300)))),
        ("page-rotated-in-object-stream", false, (b, u, d) => Compressed(u, b.PageNumbers[0], Clone(d, b.PageNumbers[0]).Set("Rotate", PdfInteger.Of(90))).Write(true)),
        ("page-font-replaced", false, (b, u, d) => b.Font is null ? null : Page(u, d, b, p => p.Set("Resources", new PdfDictionary().Set("Font", new PdfDictionary().Set("F1", Ref(NewObject(u, Font("Courier")))))))),
        ("font-rewritten", false, (b, u, d) => b.Font is null ? null : u.Add(b.Font.Value, Font("Courier")).Write(b.XrefStream)),
        ("annotation-added", false, (b, u, d) => Annotation(b, u, d, Pick(["Square", "FreeText", "Stamp", "Text", "Link", "Ink", "Highlight", "Popup", "Circle"]), "")),
        ("text-widget-added", false, (b, u, d) => Annotation(b, u, d, "Widget", " /FT /Tx /T (jumlah) /V (Rp99.000.000)", toForm: true)),
        ("unsigned-signature-widget", false, (b, u, d) => Annotation(b, u, d, "Widget", " /FT /Sig /T (Tanda tangan)", toForm: _rng.Next(2) == 0)),
        ("forged-signature-widget", false, (b, u, d) => Annotation(b, u, d, "Widget", $" /FT /Sig /T (Palsu) /V {NewObject(u, FakeSignature("Sig"))} 0 R", toForm: true)),
        ("stamp-appearance-freed", false, (b, u, d) => u.Free(b.Appearance).Write(b.XrefStream)),
        ("stamp-appearance-rewritten", false, (b, u, d) => u.AddStream(b.Appearance, "/Type /XObject /Subtype /Form /BBox [0 0 140 90]", "1 g 0 0 140 90 re f").Write(b.XrefStream)),
        ("stamp-widget-moved", false, (b, u, d) => Write(u, b, b.Widget, Clone(d, b.Widget).Set("Rect", PdfArray.OfNumbers(0, 0, 10, 10)))),
        ("stamp-widget-hidden", false, (b, u, d) => Write(u, b, b.Widget, Clone(d, b.Widget).Set("F", PdfInteger.Of(2)))),
        ("stamp-signature-dictionary-rewritten", false, (b, u, d) => Write(u, b, b.Signature, Clone(d, b.Signature).Set("Name", PdfString.FromText("Orang lain")))),
        ("catalog-edited", false, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog).Set(Pick(["OpenAction", "PageLabels", "ViewerPreferences", "Names", "Outlines", "Perms"]), Ref(NewObject(u, "<< /S /JavaScript /JS (app.alert(1)) >>"))))),
        ("catalog-pages-replaced", false, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog).Set("Pages", Ref(NewObject(u, $"<< /Type /Pages /Kids [{b.PageNumbers[0]} 0 R] /Count 1 >>"))))),
        ("trailer-root-replaced", false, (b, u, d) => { u.Root = $"{NewObject(u, Syntax(Clone(d, b.Catalog)))} 0 R"; return u.Write(b.XrefStream); }),
        ("form-need-appearances", false, (b, u, d) => Form(u, b, d, f => f.Set("NeedAppearances", PdfBoolean.True)).Write(b.XrefStream)),
        ("form-fields-removed", false, (b, u, d) => Form(u, b, d, f => f.Set("Fields", new PdfArray())).Write(b.XrefStream)),
        ("object-freed", false, (b, u, d) => u.Free(Pick([b.Content, b.Pages, b.Font ?? b.Content])).Write(b.XrefStream)),
        ("page-added", false, (b, u, d) => PageAdded(b, u, d)),
        ("pages-reordered", false, (b, u, d) => b.PageNumbers.Length < 2 ? null : Write(u, b, b.Pages, Clone(d, b.Pages).Set("Kids", new PdfArray(b.PageNumbers.Reverse().Select(n => (PdfObject)Ref(n)))))),
        ("dangling-reference-defined", false, (b, u, d) => !b.Name.StartsWith("missing", StringComparison.Ordinal) ? null : DefineDangling(b, u)),
        ("info-added", true, (b, u, d) => { u.TrailerExtra = $"/Info {NewObject(u, "<< /Title (Surat) /Producer (Editor) >>")} 0 R "; return u.Write(b.XrefStream); }),
        ("info-in-object-stream", true, (b, u, d) => { var n = u.Allocate(); u.AddCompressed(n, "<< /Title (Surat) /ModDate (D:20250101000000Z) >>"); u.TrailerExtra = $"/Info {n} 0 R "; return u.Write(true); }),
        ("metadata-added", true, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog).Set("Metadata", Ref(NewStream(u, "/Type /Metadata /Subtype /XML", "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"))))),
        ("dss-added", true, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog).Set("DSS", Ref(Dss(u, compressed: false))))),
        ("dss-in-object-stream", true, (b, u, d) => { var c = Clone(d, b.Catalog).Set("DSS", Ref(Dss(u, compressed: true))); return Compressed(u, b.Catalog, c).Write(true); }),
        ("catalog-version-extensions", true, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog).Set("Version", PdfName.Of("2.0")).Set("Extensions", new PdfDictionary().Set("ADBE", new PdfDictionary().Set("ExtensionLevel", PdfInteger.Of(8)))))),
        ("unused-objects", true, (b, u, d) => { for (var i = _rng.Next(1, 4); i > 0; i--) NewStream(u, "/Type /XObject /Subtype /Form /BBox [0 0 9 9]", "0 0 9 9 re f"); return u.Write(b.XrefStream); }),
        ("identical-rewrite", true, (b, u, d) => Write(u, b, b.Catalog, Clone(d, b.Catalog))),
        ("unused-number-freed", false, (b, u, d) => u.Free(u.Allocate() + 3).Write(b.XrefStream)),
        ("invisible-timestamp-field", true, (b, u, d) => SignatureField(b, u, d, $"/V {NewObject(u, FakeSignature("DocTimeStamp"))} 0 R")),
        ("invisible-empty-signature-field", true, (b, u, d) => SignatureField(b, u, d, "")),
        ("second-stamp", true, (b, u, d) => StampTestKit.Stamp(b.Bytes, StampTestKit.Request(b.Bytes, page: 1 + _rng.Next(b.PageNumbers.Length))).Output),
    ];

    /// <summary>The next update of kind <paramref name="kind"/> (on a base it applies to).</summary>
    public GeneratedUpdate Of(string kind)
    {
        var (_, allowed, make) = _kinds.Single(k => k.Kind == kind);
        foreach (var b in _bases.OrderBy(_ => _rng.Next()))
        {
            if (make(b, PdfUpdate.To(b.Bytes), b.Open()) is { } file) return new GeneratedUpdate($"{kind} on {b.Name}", allowed, file);
        }

        throw new InvalidOperationException($"no base takes an update of kind {kind}");
    }

    public GeneratedUpdate Next()
    {
        while (true)
        {
            var b = _bases[_rng.Next(_bases.Count)];
            var (kind, allowed, make) = _kinds[_rng.Next(_kinds.Length)];
            // A real stamp signs (milliseconds); keep it to about one case in ten.
            if (kind == "second-stamp" && _rng.Next(3) != 0) continue;
            var file = make(b, PdfUpdate.To(b.Bytes), b.Open());
            if (file is not null) return new GeneratedUpdate($"{kind} on {b.Name}", allowed, file);
        }
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private static PdfReference Ref(int n) => new(n, 0);

    private static PdfDictionary Clone(PdfDocument d, int n) => d.ResolveDictionary(Ref(n))!.Clone();

    private static byte[] Write(PdfUpdate u, StampedBase b, int number, PdfDictionary value) => u.Add(number, Syntax(value)).Write(b.XrefStream);

    private static PdfUpdate Compressed(PdfUpdate u, int number, PdfDictionary value) => u.AddCompressed(number, Syntax(value));

    private static byte[] Page(PdfUpdate u, PdfDocument d, StampedBase b, Func<PdfDictionary, PdfDictionary> change) => Write(u, b, b.PageNumbers[0], change(Clone(d, b.PageNumbers[0])));

    private static int NewObject(PdfUpdate u, string body)
    {
        var n = u.Allocate();
        u.Add(n, body);
        return n;
    }

    private static int NewStream(PdfUpdate u, string entries, string data)
    {
        var n = u.Allocate();
        u.AddStream(n, entries, data);
        return n;
    }

    private static string Font(string name) => $"<< /Type /Font /Subtype /Type1 /BaseFont /{name} >>";

    private static string FakeSignature(string type) =>
        $"<< /Type /{type} /Filter /Adobe.PPKLite /SubFilter /{(type == "Sig" ? "ETSI.CAdES.detached" : "ETSI.RFC3161")} /ByteRange [0 10 20 10] /Contents <{new string('0', 64)}> >>";

    /// <summary>An annotation with its own appearance over page 1: added to its /Annots (and to the form when <paramref name="toForm"/>).</summary>
    private byte[] Annotation(StampedBase b, PdfUpdate u, PdfDocument d, string subtype, string extra, bool toForm = false)
    {
        var look = NewStream(u, "/Type /XObject /Subtype /Form /BBox [0 0 300 40]", "1 g 0 0 300 40 re f 0 g BT /Helv 12 Tf 5 12 Td (Rp99.000.000) Tj ET");
        var annot = NewObject(u, $"<< /Type /Annot /Subtype /{subtype}{extra} /Rect [60 700 360 740] /F 4 /P {b.PageNumbers[0]} 0 R /AP << /N {look} 0 R >> >>");
        return Listed(b, u, d, annot, toForm);
    }

    /// <summary>A new invisible signature field (as a document timestamp has), in /Fields and on page 1.</summary>
    private static byte[] SignatureField(StampedBase b, PdfUpdate u, PdfDocument d, string value)
    {
        var field = NewObject(u, $"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Timestamp {u.Size}) {value} /Rect [0 0 0 0] /F 132 /P {b.PageNumbers[0]} 0 R >>");
        return Listed(b, u, d, field, toForm: true);
    }

    private static byte[] Listed(StampedBase b, PdfUpdate u, PdfDocument d, int annot, bool toForm)
    {
        var page = Clone(d, b.PageNumbers[0]);
        var annots = d.Resolve(page["Annots"]) is PdfArray a ? a.Clone() : new PdfArray();
        annots.Add(Ref(annot));
        u.Add(b.PageNumbers[0], Syntax(page.Set("Annots", annots)));
        if (toForm)
        {
            Form(u, b, d, form =>
            {
                var fields = ((PdfArray)d.Resolve(form["Fields"])).Clone();
                fields.Add(Ref(annot));
                return form.Set("Fields", fields);
            });
        }

        return u.Write(b.XrefStream);
    }

    /// <summary>Rewrites the form: its own object, or the catalog when the catalog holds it directly.</summary>
    private static PdfUpdate Form(PdfUpdate u, StampedBase b, PdfDocument d, Func<PdfDictionary, PdfDictionary> change)
    {
        if (b.Form > 0) return u.Add(b.Form, Syntax(change(Clone(d, b.Form))));
        var catalog = Clone(d, b.Catalog);
        return u.Add(b.Catalog, Syntax(catalog.Set("AcroForm", change(d.ResolveDictionary(catalog["AcroForm"])!.Clone()))));
    }

    private static byte[] PageAdded(StampedBase b, PdfUpdate u, PdfDocument d)
    {
        var content = NewStream(u, "", "BT /F1 16 Tf 60 760 Td (Halaman tambahan) Tj ET");
        var page = NewObject(u, $"<< /Type /Page /Parent {b.Pages} 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R >>");
        var pages = Clone(d, b.Pages);
        var kids = ((PdfArray)d.Resolve(pages["Kids"])).Clone();
        kids.Add(Ref(page));
        return Write(u, b, b.Pages, pages.Set("Kids", kids).Set("Count", PdfInteger.Of(kids.Count)));
    }

    private byte[] DefineDangling(StampedBase b, PdfUpdate u)
    {
        var n = TamperedPdf.MissingXObject;
        switch (_rng.Next(3))
        {
            case 0:
                u.AddStream(n, "/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "1 g 0 0 595 842 re f");
                break;
            case 1:
                u.AddStream(n, "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", "\u00ff");
                break;
            default:
                u.AddCompressed(n, "<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] >>");
                return u.Write(true);
        }

        return u.Write(b.XrefStream);
    }

    private int Dss(PdfUpdate u, bool compressed)
    {
        var cert = NewStream(u, "", "0\u0082\u0001\u0000 certificate bytes");
        var ocsp = NewStream(u, "", "0\u0082\u0001\u0000 ocsp bytes");
        var vri = $"<< /VRI << /{new string('A', 40)} << /Cert [{cert} 0 R] /TU (D:20250101000000Z) >> >> /Certs [{cert} 0 R] /OCSPs [{ocsp} 0 R] >>";
        var dss = u.Allocate();
        if (compressed) u.AddCompressed(dss, vri);
        else u.Add(dss, vri);
        return dss;
    }

    /// <summary>An object in PDF syntax, as the engine's own writer writes it.</summary>
    private static string Syntax(PdfObject value)
    {
        using var buffer = new ByteBuffer();
        new ObjectSerializer(buffer, null, new MemoryByteSource(Array.Empty<byte>())).WriteDirect(value);
        return Encoding.Latin1.GetString(buffer.WrittenSpan);
    }
}
