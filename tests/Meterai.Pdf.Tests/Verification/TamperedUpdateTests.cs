using Meterai.Bench;
using Meterai.Pdf.Verification;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Verification;

/// <summary>Updates appended to a stamped file that change what it shows must never be rated harmless.</summary>
public class TamperedUpdateTests
{
    [Fact]
    public void A_missing_object_the_page_draws_defined_after_stamping_is_a_change()
    {
        var input = TamperedPdf.WithMissingXObject();
        var (stamped, _) = Stamp(input);
        AssertSound(input, stamped, "missing-xobject-stamped.pdf");

        var report = Verify(TamperedPdf.DefineMissingXObject(stamped));
        var sig = Assert.Single(report.Signatures);
        Assert.True(sig.IntegrityValid);
        Assert.Equal(ModificationLevel.Changed, sig.ChangesAfter);
        Assert.True(report.ChangedAfterEMeterai);
        Assert.Contains(sig.ChangeNotes, n => n.Contains($"object {TamperedPdf.MissingXObject}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Square")]
    [InlineData("FreeText")]
    [InlineData("Stamp")]
    [InlineData("Widget")]
    public void An_unsigned_annotation_with_its_own_appearance_over_the_page_is_a_change(string subtype)
    {
        var input = Bench.SamplePdf.Create(pages: 1);
        var (stamped, _) = Stamp(input);
        var report = Verify(TamperedPdf.WithOverlayAnnotation(stamped, page: 4, subtype));
        var sig = Assert.Single(report.Signatures, s => s.IsEMeterai);
        Assert.True(sig.IntegrityValid);
        Assert.True(sig.ChangesAfter == ModificationLevel.Changed, $"{subtype}: {sig.ChangesAfter} {string.Join("; ", sig.ChangeNotes)}");
        Assert.True(report.ChangedAfterEMeterai);
    }

    [Fact]
    public void A_signature_widget_whose_signature_does_not_verify_may_not_draw_over_the_page()
    {
        var (stamped, _) = Stamp(Bench.SamplePdf.Create(pages: 1));
        var forged = $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 10] /Contents <{new string('0', 64)}> >>";
        var report = Verify(TamperedPdf.WithOverlayAnnotation(stamped, page: 4, subtype: "Widget", signature: forged));
        var stamp = Assert.Single(report.Signatures, s => s.IsEMeterai);
        Assert.Equal(ModificationLevel.Changed, stamp.ChangesAfter);
        Assert.Contains(stamp.ChangeNotes, n => n.Contains("does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public void Notes_are_bounded_however_many_objects_change()
    {
        var (stamped, _) = Stamp(Bench.SamplePdf.Create(pages: 40));
        var update = PdfUpdate.To(stamped);
        for (var page = 0; page < 40; page++) update.AddStream(5 + 2 * page, "", "BT /F1 30 Tf 100 400 Td (DIUBAH) Tj ET");
        var sig = Assert.Single(Verify(update.Write()).Signatures);
        Assert.Equal(ModificationLevel.Changed, sig.ChangesAfter);
        Assert.Equal(ChangeNotesMax, sig.ChangeNotes.Count);
        Assert.Equal(40, sig.ChangeNoteCount);
    }

    private static readonly int ChangeNotesMax = Meterai.Pdf.PdfLimits.Default.MaxChangeNotes;
}
