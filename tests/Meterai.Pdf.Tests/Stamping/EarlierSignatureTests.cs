using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Fixtures;
using Meterai.Pdf.Tests.Support;
using Meterai.Pdf.Verification;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;
using Kind = Meterai.Pdf.Tests.Support.PyHankoKind;

namespace Meterai.Pdf.Tests.Stamping;

/// <summary>
/// Earlier signatures made by another signer (pyHanko) stay valid after the stamp in pyHanko's own difference analysis
/// (pades-check: no OTHER, DocMDP holds) and in ours; where the earlier certification forbids the stamp, it is refused.
/// </summary>
public sealed class EarlierSignatureTests
{
    private static readonly Lazy<byte[]> NeedAppearancesForm = new(() => PyHankoFiles.Sign(Fixtures.Fixtures.WithForm, Kind.Approval, "Pemohon", needAppearances: true));
    private static readonly Lazy<byte[]> Approved = new(() => PyHankoFiles.Sign(Fixtures.Fixtures.Plain, Kind.Approval, "Pemohon"));

    [Fact]
    public void A_form_with_NeedAppearances_signed_earlier_keeps_its_signature_valid_in_pyhanko_and_in_ours()
    {
        var input = NeedAppearancesForm.Value;
        var (output, _) = Stamp(input, Request(input));
        AssertSound(input, output, "need-appearances-signed-stamped.pdf");
        AssertEarlierStaysValid(output, "need-appearances-signed-stamped-check.pdf", "Pemohon", "FORM_FILLING");
        AssertOnlyTheWidgetWasAdded(input, output);
        // The flag is left as the earlier signer signed it: clearing it would hide the text field's value.
        var doc = Open(output);
        Assert.Equal(PdfBoolean.True, doc.Resolve(doc.ResolveDictionary(doc.ResolveDictionary(doc.Trailer["Root"])!["AcroForm"])!["NeedAppearances"]));
    }

    /// <summary>
    /// When every other field has an appearance of its own, the stamp turns /NeedAppearances off: pyHanko allows it, so
    /// do we (nothing shown depended on the flag), and viewers that honour the flag no longer draw signatures blank —
    /// poppler here shows the stamp.
    /// </summary>
    [Fact]
    public void A_NeedAppearances_form_whose_fields_are_all_drawn_loses_the_flag_and_shows_the_stamp()
    {
        var input = PyHankoFiles.Sign(Fixtures.Fixtures.WithDrawnForm, Kind.Approval, "Pemohon", needAppearances: true);
        var rect = new PdfRect(400, 60, 540, 150);
        var (output, _) = Stamp(input, Request(input, rect: rect));
        AssertSound(input, output, "need-appearances-drawn-stamped.pdf");
        AssertEarlierStaysValid(output, "need-appearances-drawn-stamped-check.pdf", "Pemohon", "FORM_FILLING");
        AssertOnlyTheWidgetWasAdded(input, output);
        var doc = Open(output);
        Assert.Equal(PdfBoolean.False, doc.Resolve(doc.ResolveDictionary(doc.ResolveDictionary(doc.Trailer["Root"])!["AcroForm"])!["NeedAppearances"]));

        // Drawn by poppler: the stamp's rectangle is no longer blank (with the flag on, poppler 22 drew it empty).
        var inked = InkedFraction(input, rect);
        var stamped = InkedFraction(output, rect);
        Assert.True(inked < 0.001, $"the page was not blank where the stamp goes: {inked}");
        Assert.True(stamped > 0.05, $"the stamp is not drawn: {stamped} of its rectangle inked");
    }

    /// <summary>
    /// With no earlier signature there is nothing to keep valid: a /NeedAppearances form keeps its flag (its text field
    /// has no appearance of its own) and the drawing is shown a second time by a locked stamp annotation, which viewers
    /// never rebuild — poppler here draws the stamp, where it draws the signature widget blank.
    /// </summary>
    [Fact]
    public void An_unsigned_NeedAppearances_form_shows_the_stamp_through_a_locked_stamp_annotation()
    {
        var input = new FixturePdf { WithForm = true, FormExtra = " /NeedAppearances true" }.Build();
        var rect = new PdfRect(400, 60, 540, 150);
        var (output, _) = Stamp(input, Request(input, rect: rect));
        AssertSound(input, output, "need-appearances-unsigned-stamped.pdf");
        var added = Annotations(Open(output), null).Except(Annotations(Open(input), null)).Select(a => a.Subtype).Order().ToList();
        Assert.Equal(["Stamp", "Widget"], added);
        Assert.True(InkedFraction(output, rect) > 0.05, "the stamp is not drawn");
        Assert.Equal(ModificationLevel.None, Verify(output).Signatures.Single().ChangesAfter);
    }

    /// <summary>Turning the flag off where a field's value is shown only by a built appearance hides it: a change.</summary>
    [Fact]
    public void Turning_NeedAppearances_off_while_a_field_has_no_appearance_is_a_change()
    {
        var (stamped, _) = Stamp(NeedAppearancesForm.Value, Request(NeedAppearancesForm.Value));
        var catalog = ((PdfReference)Open(stamped).Trailer["Root"]!).Id.Number;
        var body = Meterai.Bench.TamperedPdf.LastBody(stamped, catalog);
        Assert.Contains("/NeedAppearances true", body);
        var update = Meterai.Bench.PdfUpdate.To(stamped);
        update.Add(catalog, body.Replace("/NeedAppearances true", "/NeedAppearances false", StringComparison.Ordinal));
        var report = Verify(update.Write());
        Assert.All(report.Signatures, s => Assert.Equal(ModificationLevel.Changed, s.ChangesAfter));
        Assert.Contains(report.Signatures[^1].ChangeNotes, n => n.Contains("NeedAppearances", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_with_an_approval_signature_keeps_it_valid_in_pyhanko_and_in_ours()
    {
        var input = Approved.Value;
        var (output, _) = Stamp(input, Request(input));
        AssertSound(input, output, "approval-signed-stamped.pdf");
        AssertEarlierStaysValid(output, "approval-signed-stamped-check.pdf", "Pemohon", "FORM_FILLING");
        AssertOnlyTheWidgetWasAdded(input, output);
    }

    [Fact]
    public void A_certification_with_no_changes_allowed_is_refused()
    {
        var input = PyHankoFiles.Sign(Fixtures.Fixtures.Plain, Kind.Certify1, "Penulis");
        Assert.Equal(PdfErrorCodes.CertifiedNoChanges, Refusal(input, Request(input)));
    }

    [Theory]
    [InlineData(Kind.Certify2)]
    [InlineData(Kind.Certify3)]
    public void A_certified_file_without_an_empty_signature_field_is_refused_with_its_own_code(Kind kind)
    {
        var input = PyHankoFiles.Sign(Fixtures.Fixtures.Plain, kind, "Penulis");
        Assert.Equal(PdfErrorCodes.CertifiedNoEmptyField, Refusal(input, Request(input)));
    }

    [Theory]
    [InlineData(Kind.Certify2)]
    [InlineData(Kind.Certify3)]
    public void A_certified_file_is_stamped_into_its_empty_signature_field_and_the_certification_stays_valid(Kind kind)
    {
        var input = PyHankoFiles.Sign(Fixtures.Fixtures.Plain, kind, "Penulis", emptyField: "Meterai");
        var (output, outcome) = Stamp(input, Request(input));
        AssertSound(input, output, $"certified-{kind}-stamped.pdf");
        Assert.Equal(("Meterai", new PdfRect(330, 60, 470, 200)), (outcome.FieldName, outcome.Rectangle));
        AssertEarlierStaysValid(output, $"certified-{kind}-stamped-check.pdf", "Penulis", "FORM_FILLING");

        // The stamp is the empty field's value now, shown at the field's own rectangle; nothing was added to the page.
        var before = Open(input);
        var after = Open(output);
        var field = Field(after, "Meterai");
        Assert.NotNull(field.Value);
        Assert.Equal(new PdfRect(330, 60, 470, 200), PdfRect.From(field.Field["Rect"], after.Resolve));
        Assert.Equal(Annotations(before, before.Trailer), Annotations(after, after.Trailer));
        var report = Verify(output);
        var certification = report.Signatures.Single(s => s.FieldName == "Penulis");
        Assert.Equal(kind == Kind.Certify2 ? 2 : 3, certification.CertificationLevel);
        Assert.Equal("Meterai", report.Signatures.Single(s => s.IsEMeterai).FieldName);
    }

    /// <summary>
    /// Our rating of a later signature after each certification, beside pyHanko's: after P=1 it is a change for both;
    /// after P=2 the specification permits signing, so ours says harmless, while pyHanko's default rules say OTHER for a
    /// new visible field (stricter than the specification and Acrobat) — the difference the engine avoids by refusing.
    /// </summary>
    [Theory]
    [InlineData(Kind.Certify1, "changed")]
    [InlineData(Kind.Certify2, "harmless")]
    public void A_later_visible_signature_after_a_certification_is_rated_as_the_specification_says(Kind kind, string ours)
    {
        var certified = PyHankoFiles.Sign(Fixtures.Fixtures.Plain, kind, "Penulis");
        var later = PyHankoFiles.Sign(certified, Kind.Approval, "Pemohon", ignoreCertification: true);
        var report = Verify(later);
        var certification = report.Signatures.Single(s => s.FieldName == "Penulis");
        Assert.True(certification.IntegrityValid);
        Assert.Equal(ours == "changed" ? ModificationLevel.Changed : ModificationLevel.Harmless, certification.ChangesAfter);
        if (kind == Kind.Certify1) Assert.Contains(certification.ChangeNotes, n => n.Contains("DocMDP P=1", StringComparison.Ordinal));

        var path = Fixtures.Fixtures.Save($"certified-{kind}-later-signature.pdf", later);
        var (exit, text, json) = PadesCheck.Run(path);
        var (changes, docmdp, _) = PadesCheck.Signature(json, "Penulis");
        Assert.True(exit == 1, text);
        Assert.True(changes == "OTHER" || docmdp == false, text);
    }

    /// <summary>An annotation added after a P=2 certification is outside what DocMDP P=2 permits: a change, for both analyses.</summary>
    [Fact]
    public void An_annotation_added_after_a_P2_certification_is_a_change()
    {
        var certified = PyHankoFiles.Sign(Fixtures.Fixtures.Plain, Kind.Certify2, "Penulis", emptyField: "Meterai");
        var (stamped, _) = Stamp(certified, Request(certified));
        var page = PageTree.Locate(Open(stamped), Open(stamped).ResolveDictionary(Open(stamped).Trailer["Root"])!, 1).Reference.Id.Number;
        var annotated = Meterai.Bench.TamperedPdf.WithOverlayAnnotation(stamped, page, "Square");

        var report = Verify(annotated);
        Assert.All(report.Signatures, s => Assert.Equal(ModificationLevel.Changed, s.ChangesAfter));
        var path = Fixtures.Fixtures.Save("certified-p2-annotated.pdf", annotated);
        var (exit, text, json) = PadesCheck.Run(path);
        Assert.True(exit == 1, text);
        var (changes, docmdp, _) = PadesCheck.Signature(json, "Penulis");
        Assert.True(changes == "OTHER" || docmdp == false, text);
    }

    /// <summary>pades-check on the output: every signature intact and valid, nothing OTHER, DocMDP holds; and ours agrees.</summary>
    private static void AssertEarlierStaysValid(byte[] output, string name, string earlierField, string expectedLevel)
    {
        var path = Fixtures.Fixtures.Save(name, output);
        var (exit, text, json) = PadesCheck.Run(path);
        Assert.True(exit == 0, text);
        var (changes, docmdp, valid) = PadesCheck.Signature(json, earlierField);
        Assert.True(valid, text);
        Assert.Equal(expectedLevel, changes);
        Assert.NotEqual(false, docmdp);

        var report = Verify(output);
        Assert.True(report.AllValid, string.Join("; ", report.Signatures.Select(s => $"{s.FieldName}: {s.FailureCode}")));
        var earlier = report.Signatures.Single(s => s.FieldName == earlierField);
        Assert.True(earlier.ChangesAfter == ModificationLevel.Harmless, string.Join("; ", earlier.ChangeNotes));
    }

    /// <summary>The stamp adds one annotation, its own signature widget: no stamp annotation beside it.</summary>
    private static void AssertOnlyTheWidgetWasAdded(byte[] input, byte[] output)
    {
        var before = Annotations(Open(input), null);
        var after = Annotations(Open(output), null);
        var added = after.Except(before).ToList();
        Assert.Single(added);
        Assert.Equal("Widget", added[0].Subtype);
    }

    private static List<(int Number, string? Subtype)> Annotations(PdfDocument doc, PdfDictionary? _)
    {
        var catalog = doc.ResolveDictionary(doc.Trailer["Root"])!;
        var page = PageTree.Locate(doc, catalog, 1);
        var result = new List<(int, string?)>();
        if (doc.Resolve(page.Dictionary["Annots"]) is PdfArray annots)
        {
            foreach (var a in annots)
            {
                var subtype = (doc.Resolve(doc.ResolveDictionary(a)?["Subtype"]) as PdfName)?.Value;
                result.Add((a is PdfReference r ? r.Id.Number : -1, subtype));
            }
        }

        return result;
    }

    private static SignatureField Field(PdfDocument doc, string name)
    {
        var catalog = doc.ResolveDictionary(doc.Trailer["Root"])!;
        return SignatureFields.Find(doc, doc.ResolveDictionary(catalog["AcroForm"])).Single(f => f.Name == name);
    }

    /// <summary>The share of <paramref name="rect"/> on page 1 that poppler (pdftoppm, 72 dpi) draws darker than near-white.</summary>
    private static double InkedFraction(byte[] pdf, PdfRect rect)
    {
        var path = Fixtures.Fixtures.Save($"ink-{Guid.NewGuid():N}.pdf", pdf);
        var image = PageRaster.Render(path, 1, 72);
        var (inked, total) = (0, 0);
        for (var y = (int)(image.Height - rect.Y2); y < (int)(image.Height - rect.Y1); y++)
        {
            for (var x = (int)rect.X1; x < (int)rect.X2; x++)
            {
                total++;
                if (image[x, y] < 200) inked++;
            }
        }

        return (double)inked / total;
    }

    private static PdfDocument Open(byte[] pdf) => PdfDocument.Open(new MemoryByteSource(pdf), PdfLimits.Default, null);
}
