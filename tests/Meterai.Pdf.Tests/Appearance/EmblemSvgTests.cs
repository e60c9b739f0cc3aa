using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Appearance;

/// <summary>The operator's emblem: read from SVG path data, drawn as vectors in the panel, and the stamp still scans.</summary>
public class EmblemSvgTests
{
    private const string Diamond = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
          <title>test emblem</title>
          <path d="M100 0 L200 50 L100 100 L0 50 Z" fill="#1a7f37"/>
          <path d="m90,40 h20 v20 h-20 z" fill="#fff"/>
          <path d="M10 50 C10 20 40 20 40 50 Z"/>
        </svg>
        """;

    [Fact]
    public void Paths_are_read_into_the_unit_square_with_y_up_and_the_aspect_kept()
    {
        var emblem = EmblemSvg.Parse(Diamond).Value;

        Assert.Equal(3, emblem.Shapes.Count);
        Assert.Equal(new StampColour(0x1a / 255.0, 0x7f / 255.0, 0x37 / 255.0), emblem.Shapes[0].Fill);
        Assert.Equal(new StampColour(1, 1, 1), emblem.Shapes[1].Fill);
        Assert.Equal(new StampColour(0, 0, 0), emblem.Shapes[2].Fill);
        // 200 × 100 centred in a unit square: (100, 0) is the top middle, y = 0.75 once turned upright.
        var top = emblem.Shapes[0].Path[0];
        Assert.Equal((PathVerb.Move, 0.5, 0.75), (top.Verb, top.X3, top.Y3));
        // The relative square: h/v became lines, from (90,40) to (110,40) to (110,60).
        var square = emblem.Shapes[1].Path;
        Assert.Equal([PathVerb.Move, PathVerb.Line, PathVerb.Line, PathVerb.Line, PathVerb.Close], square.Select(s => s.Verb));
        Assert.Equal(0.55, square[2].X3, 9);
        Assert.Equal(0.45, square[2].Y3, 9); // y = 60 of 100, 50 down in the square, turned upright
        Assert.Equal(PathVerb.Cubic, emblem.Shapes[2].Path[1].Verb);
    }

    [Theory]
    [InlineData("<svg viewBox='0 0 10 10'><path d='M0 0 L10 10' fill='red'/></svg>")] // a colour name
    [InlineData("<svg viewBox='0 0 10 10'><image href='x.png'/></svg>")] // a raster
    [InlineData("<svg viewBox='0 0 10 10'><path d='M0 0 A5 5 0 0 1 10 10'/></svg>")] // an arc
    [InlineData("<svg viewBox='0 0 10 10'><path d='M0 0 L10'/></svg>")] // a number short
    [InlineData("<svg viewBox='0 0 0 10'><path d='M0 0 L10 10'/></svg>")]
    [InlineData("<svg><path d='M0 0 L10 10'/></svg>")]
    [InlineData("<!DOCTYPE svg [<!ENTITY x 'y'>]><svg viewBox='0 0 10 10'><path d='M0 0 L1 1'/></svg>")]
    [InlineData("not xml")]
    public void What_the_subset_does_not_cover_is_refused(string svg)
    {
        Assert.Equal(EmblemSvg.Invalid, EmblemSvg.Parse(svg).Error?.Code);
    }

    [Fact]
    public void A_stamp_with_the_operators_emblem_draws_its_paths_and_still_scans()
    {
        var emblem = EmblemSvg.Parse(Diamond).Value;
        var serial = SerialNumber.Parse(StampAppearanceBuilderTests.WithCheck("EMBLEM0000000000000AB")).Value;
        var url = VerifyAddress.For("https://meterai.example", serial);
        var stamp = StampAppearanceBuilder.Build(serial, url, 160, 54, emblem).Value;

        var text = System.Text.Encoding.ASCII.GetString(stamp.Content);
        Assert.Contains("0.102 0.498 0.216 rg", text); // #1a7f37
        Assert.DoesNotContain("0.816 0.306 0.227 rg", text); // the default ornament's colour

        ExternalTool.Require("pdftoppm");
        ExternalTool.Require("zbarimg");
        var dir = Directory.CreateTempSubdirectory("meterai-emblem-").FullName;
        try
        {
            var pdf = Path.Combine(dir, "stamp.pdf");
            File.WriteAllBytes(pdf, StampTestPdf.Write(stamp, 40, 60));
            Assert.Equal(0, ExternalTool.Run("pdftoppm", ["-r", "150", "-png", "-singlefile", pdf, Path.Combine(dir, "page")]).ExitCode);
            var scan = ExternalTool.Run("zbarimg", ["--raw", "-q", Path.Combine(dir, "page.png")]);
            Assert.Equal(url, scan.StdOut.TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
