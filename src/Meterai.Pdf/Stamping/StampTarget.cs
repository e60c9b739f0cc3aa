using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>Everything the increment is built from, read from the file and checked against the rules.</summary>
internal sealed record StampTarget(
    PdfDocument Document,
    PdfReference CatalogReference,
    PdfDictionary Catalog,
    PdfObject? AcroFormEntry,
    PdfDictionary? AcroForm,
    IReadOnlyList<SignatureField> SignatureFields,
    PageInfo Page,
    Placement Placement)
{
    public bool HasEarlierSignature => SignatureFields.Any(f => f.IsSigned);

    /// <summary>
    /// The empty signature field of the document the stamp signs (its widget shows the stamp, at its own /Rect), or
    /// null when the stamp adds a field of its own. Set for certified documents only (<see cref="EmptySignatureFields"/>).
    /// </summary>
    public SignatureField? EmptyField { get; init; }
}

/// <summary>
/// Opens the file and applies the rules of stamping, in the order an applicant can best act on: encryption and
/// password, damage, certification and locks, permissions, then page and rectangle.
/// </summary>
internal static class StampAnalyzer
{
    /// <summary>Opens the file and finds the page only (no rules, no rectangle): for callers choosing a placement.</summary>
    public static PageInfo Locate(ByteSource source, StampRequest request, PdfLimits limits) =>
        WithRecovery(source, request, limits, doc => AnalyzeDocument(doc, request, locateOnly: true)).Page;

    /// <summary>Finds the page in an open document (no rules): for <see cref="WithRecovery{T}"/> work that reads the page.</summary>
    public static PageInfo LocateIn(PdfDocument doc, StampRequest request) => AnalyzeDocument(doc, request, locateOnly: true).Page;

    /// <summary>
    /// Opens the file and runs <paramref name="work"/> on it. When the file turns out to be damaged — while opening or
    /// later, when an object on the way does not match its cross-reference entry — the file is opened again in
    /// recovery mode and the work redone, unless it carries a signature.
    /// </summary>
    public static T WithRecovery<T>(ByteSource source, StampRequest request, PdfLimits limits, Func<PdfDocument, T> work)
    {
        if (source.Length > limits.MaxInputBytes)
        {
            throw new PdfFormatException(PdfErrorCodes.TooLarge, $"the file is larger than the {limits.MaxInputBytes / (1024 * 1024)} MB limit");
        }

        if (request.Page < 1) throw new PdfFormatException(PdfErrorCodes.InvalidRequest, "page numbers start at 1");
        try
        {
            return work(PdfDocument.Open(source, limits, request.Password));
        }
        catch (PdfDamageException damage)
        {
            var recovered = PdfDocument.OpenRecovered(source, limits, request.Password, damage.Message);
            if (recovered.Recovery!.HasSignature)
            {
                throw new PdfFormatException(
                    PdfErrorCodes.DamagedSignedFile,
                    "the file is damaged and carries a signature: repairing it could change what was signed, so it is not stamped");
            }

            try
            {
                return work(recovered);
            }
            catch (PdfDamageException again)
            {
                throw new PdfFormatException(PdfErrorCodes.Malformed, $"the file is damaged beyond repair: {again.Message}");
            }
        }
    }

    /// <summary>Reads what stamping needs and applies the rules; damage surfaces as <see cref="PdfDamageException"/>.</summary>
    public static StampTarget Analyze(PdfDocument doc, StampRequest request) => AnalyzeDocument(doc, request, locateOnly: false);

    private static StampTarget AnalyzeDocument(PdfDocument doc, StampRequest request, bool locateOnly)
    {
        var catalogEntry = doc.Trailer["Root"];
        var catalog = doc.ResolveDictionary(catalogEntry);
        if (catalog is null || catalogEntry is not PdfReference catalogRef)
        {
            if (!doc.IsRecovered) throw new PdfDamageException("the trailer names no document catalog");
            throw new PdfFormatException(PdfErrorCodes.Truncated, "the file has no document catalog: it is cut short or damaged beyond repair");
        }

        if (locateOnly)
        {
            var found = PageTree.Locate(doc, catalog, request.Page);
            return new StampTarget(doc, catalogRef, catalog, null, null, [], found, new Placement(found.VisibleBox, found.Rotate));
        }

        var acroFormEntry = catalog["AcroForm"];
        var acroForm = doc.ResolveDictionary(acroFormEntry);
        if (acroForm is not null && (acroForm["Type"] is PdfName { Value: "Page" or "Pages" or "Catalog" or "Annot" } || acroForm.ContainsKey("Kids") || acroFormEntry is PdfReference r && r.Id == catalogRef.Id))
        {
            // A damaged file whose /AcroForm names some other object: that object is not a form, and must not be
            // rewritten as one. The stamp starts a form of its own.
            acroFormEntry = null;
            acroForm = null;
        }
        var signatures = SignatureFields.Find(doc, acroForm);
        if (ModificationRules.Check(doc, catalog, signatures) is { } refusal) throw new PdfFormatException(refusal.Code, refusal.Message);
        if (doc.Security is { AllowsAnnotations: false })
        {
            throw new PdfFormatException(PdfErrorCodes.PermissionDenied, "the file's owner does not allow adding annotations or signatures to it");
        }

        var page = PageTree.Locate(doc, catalog, request.Page);
        var certification = ModificationRules.CertificationLevel(doc, catalog, signatures);
        if (certification is null)
        {
            return new StampTarget(doc, catalogRef, catalog, acroFormEntry, acroForm, signatures, page, Placement.For(request.Rectangle, page));
        }

        // Certified (P=2 or P=3; P=1 was refused above): the stamp fills an empty signature field, the one change every
        // validator accepts after a certification (pyHanko rates a new visible field after it "not permitted").
        var empty = EmptySignatureFields.OnPage(doc, signatures, page)
            ?? throw new PdfFormatException(
                PdfErrorCodes.CertifiedNoEmptyField,
                $"the document is certified by its author (DocMDP P={certification}) and page {request.Page} has no empty signature field: " +
                "a stamp in a new field would make validators that follow pyHanko's rules reject the certification, so it is not stamped");
        return new StampTarget(doc, catalogRef, catalog, acroFormEntry, acroForm, signatures, page, Placement.For(empty.Rect, page)) { EmptyField = empty.Field };
    }
}
