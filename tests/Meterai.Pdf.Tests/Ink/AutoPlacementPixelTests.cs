using Meterai.Bench;
using Meterai.Bench.Stamping;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.TestSupport;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Ink;

/// <summary>
/// Issue 11 item 5, checked by a renderer we did not write: pdftoppm renders the page before stamping, and no pixel
/// under the automatically chosen rectangle is ink; after stamping, no pixel outside it changed (the stamp is where
/// the answer says). On generated pages whose usual place is inked, and on corpus files where it is.
/// </summary>
public sealed class AutoPlacementPixelTests : IDisposable
{
    private const double Dpi = 100;
    private readonly string _dir = Directory.CreateTempSubdirectory("meterai-autoplace-").FullName;

    public static TheoryData<string> Generated => new("bottom-right-text", "form", "rotated");

    public static TheoryData<string> CorpusFiles => new("chromium-formulir-1001.pdf", "pdflatex-surat-1001.pdf", "pdfjs-distiller5-form.pdf", "pypdf2-reportlab-overlay.pdf");

    private static byte[] Page(string name)
    {
        const double top = DefaultStampSize.Margin + DefaultStampSize.Height + 20;
        return name switch
        {
            "bottom-right-text" => SamplePdf.Page(SamplePdf.TextBlock(250, top, 10, 60)),
            "form" => SamplePdf.Page("q 1 0 0 1 240 5 cm /Fm0 Do Q", forms: ("0 0 400 200", SamplePdf.TextBlock(0, 190, 0, 60))),
            _ => SamplePdf.Page(SamplePdf.TextBlock(595 - DefaultStampSize.Margin - DefaultStampSize.Height - 100, 835, 842 - 2 * DefaultStampSize.Width - 40, 40), rotate: 90),
        };
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void On_a_generated_page_the_chosen_place_covers_no_ink_where_the_usual_one_did(string name)
    {
        var input = Page(name);
        var (spot, before) = ChooseAndRender(input, name);

        Assert.True(before.InkUnder(spot.UsualPlace) > 0, $"{name}: the usual place {spot.UsualPlace} should be on ink for this test to mean anything");
        Assert.True(spot.Moved);
        AssertFreeAndStampedThere(input, spot, before, name);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void On_a_corpus_file_the_chosen_place_covers_no_ink(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(TestEnvironment.RequireCorpus(), file));
        var (spot, before) = ChooseAndRender(input, file);

        AssertFreeAndStampedThere(input, spot, before, file);
    }

    private (AutoPlacement Spot, PageRaster Before) ChooseAndRender(byte[] input, string name)
    {
        ExternalTool.Require("pdftoppm");
        var chosen = PageInspector.ChooseSpot(new MemoryStream(input), 1);
        Assert.True(chosen.IsOk, chosen.Error?.ToString());
        Assert.Null(chosen.Value.Fallback);
        var path = Path.Combine(_dir, name + "-before.pdf");
        File.WriteAllBytes(path, input);
        return (chosen.Value, PageRaster.Render(path, Geometry(input), Dpi));
    }

    private void AssertFreeAndStampedThere(byte[] input, AutoPlacement spot, PageRaster before, string name)
    {
        Assert.Equal(0, before.InkUnder(spot.Rect));
        var (output, _) = Stamp(input, Request(input, rect: spot.Rect));
        var path = Path.Combine(_dir, name + "-after.pdf");
        File.WriteAllBytes(path, output);
        var after = PageRaster.Render(path, Geometry(input), Dpi);
        Assert.True(after.InkUnder(spot.Rect) > 0, $"{name}: no stamp drawn at {spot.Rect}");
        Assert.Equal(0, after.ChangedOutside(before, spot.Rect));
    }

    private static PageGeometry Geometry(byte[] input) => PageInspector.Describe(new MemoryStream(input), 1).Value;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
