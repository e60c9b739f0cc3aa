using System.Text;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Fixtures;

namespace Meterai.Pdf.Tests.Parsing;

public class DocumentReaderTests
{
    private static PdfDocument Open(byte[] bytes, string? password = null) => PdfDocument.Open(new MemoryByteSource(bytes), PdfLimits.Default, password);

    private static PdfDictionary Catalog(PdfDocument doc) => doc.ResolveDictionary(doc.Trailer["Root"])!;

    [Fact]
    public void Reads_a_classic_table_and_finds_pages()
    {
        var doc = Open(Fixtures.Fixtures.Plain);
        Assert.False(doc.IsRecovered);
        Assert.Equal(XrefSectionKind.Table, doc.Sections[0].Kind);
        var page = PageTree.Locate(doc, Catalog(doc), 2);
        Assert.Equal(2, page.PageCount);
        Assert.Equal(842, page.MediaBox.Y2);
    }

    [Fact]
    public void Reads_cross_reference_and_object_streams()
    {
        var doc = Open(Fixtures.Fixtures.ObjectStreams);
        Assert.Equal(XrefSectionKind.Stream, doc.Sections[0].Kind);
        Assert.Contains(doc.Xref.Entries.Values, e => e.Type == XrefEntryType.Compressed);
        var page = PageTree.Locate(doc, Catalog(doc), 1);
        Assert.Equal(2, page.PageCount);
        Assert.True(doc.IsCompressed(page.Reference.Id.Number));
    }

    [Fact]
    public void Reads_inherited_boxes_and_rotation()
    {
        var doc = Open(Fixtures.Fixtures.InheritedRotatedCropped);
        var page = PageTree.Locate(doc, Catalog(doc), 2);
        Assert.Equal(90, page.Rotate);
        Assert.Equal(new PdfRect(36, 36, 576, 756), page.CropBox);
        Assert.Equal(new PdfRect(0, 0, 612, 792), page.MediaBox);
    }

    [Fact]
    public void A_page_beyond_the_last_is_refused_with_its_code()
    {
        var doc = Open(Fixtures.Fixtures.Plain);
        var e = Assert.Throws<PdfFormatException>(() => PageTree.Locate(doc, Catalog(doc), 3));
        Assert.Equal(PdfErrorCodes.PageOutOfRange, e.Code);
    }

    [Theory]
    [InlineData("40")]
    [InlineData("128", "--use-aes=n")]
    [InlineData("128", "--use-aes=y")]
    [InlineData("256", "--force-R5")]
    [InlineData("256")]
    public void Decrypts_strings_of_every_standard_revision_with_the_empty_user_password(string bits, params string[] options)
    {
        var doc = Open(Fixtures.Fixtures.Encrypted("", "owner", bits, options));
        Assert.NotNull(doc.Security);
        Assert.False(doc.Security!.AuthenticatedAsOwner);
        var form = doc.ResolveDictionary(Catalog(doc)["AcroForm"])!;
        Assert.Equal("/Helv 0 Tf 0 g", Encoding.ASCII.GetString(((PdfString)doc.Resolve(form["DA"])).Bytes));
    }

    [Theory]
    [InlineData("128", "--use-aes=n")]
    [InlineData("128", "--use-aes=y")]
    [InlineData("256")]
    public void A_user_password_is_required_checked_and_the_owner_password_accepted(string bits, params string[] options)
    {
        var bytes = Fixtures.Fixtures.Encrypted("rahasia", "pemilik", bits, options);
        Assert.Equal(PdfErrorCodes.PasswordRequired, Assert.Throws<PdfFormatException>(() => Open(bytes)).Code);
        Assert.Equal(PdfErrorCodes.WrongPassword, Assert.Throws<PdfFormatException>(() => Open(bytes, "salah")).Code);
        Assert.False(Open(bytes, "rahasia").Security!.AuthenticatedAsOwner);
        Assert.True(Open(bytes, "pemilik").Security!.AuthenticatedAsOwner);
    }

    [Theory]
    [InlineData("--modify=none", false)]
    [InlineData("--annotate=n", false)]
    [InlineData("--modify=form", false)]
    [InlineData("--modify=annotate", true)]
    public void Annotation_permission_follows_bit_6(string restriction, bool allowed)
    {
        var bytes = Fixtures.Fixtures.Encrypted("", "owner", "256", restriction);
        Assert.Equal(allowed, Open(bytes).Security!.AllowsAnnotations);
        Assert.True(Open(bytes, "owner").Security!.AllowsAnnotations);
    }

    [Fact]
    public void Finds_startxref_behind_kilobytes_of_junk()
    {
        var bytes = Fixtures.Fixtures.Plain.Concat(Enumerable.Repeat((byte)'x', 5000)).ToArray();
        var doc = Open(bytes);
        Assert.False(doc.IsRecovered);
    }

    [Fact]
    public void Shifted_offsets_are_damage_and_recovery_finds_every_object()
    {
        var plain = Fixtures.Fixtures.Plain;
        var shifted = plain[..15].Concat(Encoding.ASCII.GetBytes("% forty bytes of inserted junk here ...\n")).Concat(plain[15..]).ToArray();
        Assert.Throws<PdfDamageException>(() => Open(shifted));
        var doc = PdfDocument.OpenRecovered(new MemoryByteSource(shifted), PdfLimits.Default, null, "test");
        Assert.Equal(Open(plain).Xref.Count, doc.Xref.Count);
        Assert.Equal(2, PageTree.Locate(doc, Catalog(doc), 1).PageCount);
    }

    [Fact]
    public void A_prev_chain_that_loops_is_damage()
    {
        var text = Encoding.Latin1.GetString(Fixtures.Fixtures.Plain);
        var xref = text.LastIndexOf("xref\n0 ", StringComparison.Ordinal);
        var looped = text.Replace("/Root 1 0 R", $"/Root 1 0 R /Prev {xref}");
        Assert.Throws<PdfDamageException>(() => Open(Encoding.Latin1.GetBytes(looped)));
    }

    [Fact]
    public void A_reference_loop_through_the_page_tree_is_bounded()
    {
        // The root names itself as a kid besides the page: the walk must stop, not spin.
        var doc = Open(new FixturePdf { Pages = 1, KidsOverride = "2 0 R 4 0 R" }.Build());
        Assert.Equal(1, PageTree.Locate(doc, Catalog(doc), 1).PageCount);
    }
}
