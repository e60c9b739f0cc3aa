using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Support;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Stamping;

/// <summary>
/// The stamp lands inside the requested rectangle, upright, on rotated pages and on pages whose crop box is not the
/// media box: pdftoppm renders the page before and after, and the pixels are compared inside and outside the
/// rectangle mapped to device space by this test's own arithmetic.
/// </summary>
public class PlacementPixelTests
{
    private const int Dpi = 50;

    public static TheoryData<string, double, double, double, double> Cases => new()
    {
        { "rot0", 300, 100, 460, 200 },
        { "rot90", 300, 100, 400, 260 },
        { "rot180", 120, 600, 280, 700 },
        { "rot270", 380, 500, 480, 660 },
        { "crop", 150, 200, 290, 290 },
        { "inherit", 400, 480, 500, 640 },
    };

    private static byte[] Fixture(string name) => name switch
    {
        "rot0" => Fixtures.Fixtures.Rotated(0),
        "rot90" => Fixtures.Fixtures.Rotated(90),
        "rot180" => Fixtures.Fixtures.Rotated(180),
        "rot270" => Fixtures.Fixtures.Rotated(270),
        "crop" => Fixtures.Fixtures.Cropped,
        _ => Fixtures.Fixtures.InheritedRotatedCropped,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_stamp_is_inside_the_requested_rectangle(string fixture, double x1, double y1, double x2, double y2)
    {
        var input = Fixture(fixture);
        var rect = new PdfRect(x1, y1, x2, y2);
        AssertLandsInside(input, rect, fixture, page: 1);
    }

    [Theory]
    [InlineData("rot0")]
    [InlineData("rot90")]
    [InlineData("rot180")]
    [InlineData("rot270")]
    [InlineData("crop")]
    [InlineData("inherit")]
    public void The_default_placement_is_inside_the_page_as_displayed(string fixture)
    {
        var input = Fixture(fixture);
        var geometry = PageInspector.Describe(new MemoryStream(input), 2).Value;
        AssertLandsInside(input, geometry.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin), fixture + "-br", page: 2);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(270)]
    public void On_a_turned_page_the_drawing_is_turned_back_upright(int rotate)
    {
        // Upright, the stamp is wider than tall; on a page turned by 90 or 270 degrees the user-space rectangle
        // for it is tall, and the appearance's /Matrix turns the wide drawing into it.
        var input = Fixtures.Fixtures.Rotated(rotate);
        var (output, _) = Stamp(input, Request(input, rect: new PdfRect(300, 300, 390, 440)));
        var text = System.Text.Encoding.Latin1.GetString(output, input.Length, output.Length - input.Length);
        Assert.Contains(rotate == 90 ? "/Matrix[0 1 -1 0 90 0]" : "/Matrix[0 -1 1 0 0 140]", text);
        Assert.Contains("/BBox[0 0 140 90]", text);
    }

    private static void AssertLandsInside(byte[] input, PdfRect rect, string name, int page)
    {
        var (output, _) = Stamp(input, Request(input, page: page, rect: rect));
        var before = Fixtures.Fixtures.Save(name + "-before.pdf", input);
        var after = Fixtures.Fixtures.Save(name + "-after.pdf", output);
        var geometry = PageInspector.Describe(new MemoryStream(input), page).Value;
        var box = PageRaster.ToPixels(rect, geometry.VisibleBox, geometry.Rotate, Dpi);
        PageRaster.AssertStampedInside(PageRaster.Render(before, page, Dpi), PageRaster.Render(after, page, Dpi), box, name);
    }
}
