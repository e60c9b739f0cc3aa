using System.Globalization;
using System.Text.RegularExpressions;
using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Appearance;

/// <summary>
/// The stamp judged by independent tools on a real (test-written) PDF: qpdf's structure check, pdffonts, pdftotext
/// (text and word boxes), pdftoppm's rendering, and zbarimg reading the QR code back.
/// </summary>
public sealed class StampPdfToolTests : IDisposable
{
    private const double StampX = 40, StampY = 60;
    private static readonly SerialNumber Serial = SerialNumber.Parse(StampAppearanceBuilderTests.WithCheck("7K3M9QX2B8RT4VW6YZ1PL")).Value;
    private static readonly string Url = VerifyAddress.For("https://meterai.example", Serial);

    private readonly string _dir = Directory.CreateTempSubdirectory("meterai-stamp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Qpdf_finds_no_error(bool deflateFont)
    {
        ExternalTool.Require("qpdf");
        var pdf = WritePdf(StampAppearanceBuilder.Build(Serial, Url, 220, 80).Value, deflateFont);

        var outcome = ExternalTool.Run("qpdf", ["--check", pdf]);

        Assert.True(outcome.ExitCode == 0, outcome.All);
        Assert.Contains("No syntax or stream encoding errors found", outcome.All);
    }

    [Fact]
    public void Pdffonts_shows_the_font_embedded_and_subset()
    {
        ExternalTool.Require("pdffonts");
        var pdf = WritePdf(StampAppearanceBuilder.Build(Serial, Url, 220, 80).Value);

        var outcome = ExternalTool.Run("pdffonts", [pdf]);

        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.StdOut.Split('\n'), l => l.StartsWith(StampFont.Default.BaseFont + " "));
        Assert.Matches(@"^[A-Z]{6}\+DejaVuSans-Bold\s+TrueType\s+WinAnsi\s+yes\s+yes\s", line);
    }

    [Theory]
    [InlineData(220, 80)]
    [InlineData(110, 150)]
    public void Pdftotext_extracts_the_lines_and_the_serial_exactly(double width, double height)
    {
        ExternalTool.Require("pdftotext");
        var pdf = WritePdf(StampAppearanceBuilder.Build(Serial, Url, width, height).Value);

        var outcome = ExternalTool.Run("pdftotext", [pdf, "-"]);

        Assert.Equal(0, outcome.ExitCode);
        var lines = outcome.StdOut.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "\f").ToArray();
        Assert.Equal(["METERAI", "ELEKTRONIK", "10000", "SEPULUH RIBU RUPIAH", Serial.Value], lines);
    }

    [Fact]
    public void Rendering_inks_the_stamp_and_leaves_the_rest_of_the_page_white()
    {
        ExternalTool.Require("pdftoppm");
        const double width = 220, height = 80, scale = 2; // 144 dpi: 2 px per point
        var pdf = WritePdf(StampAppearanceBuilder.Build(Serial, Url, width, height).Value);

        var outcome = ExternalTool.Run("pdftoppm", ["-r", "144", "-singlefile", pdf, Path.Combine(_dir, "page")]);
        Assert.True(outcome.ExitCode == 0, outcome.All);
        var page = PortablePixmap.Read(File.ReadAllBytes(Path.Combine(_dir, "page.ppm")));
        Assert.Equal((800, 1000), (page.Width, page.Height));

        int left = (int)(StampX * scale), right = (int)((StampX + width) * scale);
        int top = (int)((StampTestPdf.PageHeight - StampY - height) * scale), bottom = (int)((StampTestPdf.PageHeight - StampY) * scale);
        int inside = 0, white = 0, red = 0, black = 0;
        for (var y = 0; y < page.Height; y++)
        {
            for (var x = 0; x < page.Width; x++)
            {
                var (r, g, b) = page[x, y];
                var isWhite = r == 255 && g == 255 && b == 255;
                var outside = x < left - 1 || x > right + 1 || y < top - 1 || y > bottom + 1;
                if (outside)
                {
                    Assert.True(isWhite, $"pixel ({x},{y}) outside the stamp is ({r},{g},{b})");
                    continue;
                }

                if (x <= left + 1 || x >= right - 1 || y <= top + 1 || y >= bottom - 1) continue; // anti-aliased edge
                inside++;
                if (isWhite) white++;
                if (r > 90 && r > g + 60 && r > b + 40) red++;
                if (r < 60 && g < 60 && b < 60) black++;
            }
        }

        // Paper tone everywhere but the QR's white square; red frame and lettering; black modules and serial.
        Assert.InRange(white, 1, inside / 2);
        Assert.True(red > inside / 20, $"{red} red pixels of {inside}");
        Assert.True(black > inside / 20, $"{black} black pixels of {inside}");
    }

    [Theory]
    [InlineData(220, 80)]
    [InlineData(110, 150)]
    [InlineData(160, 54)]
    [InlineData(54, 54)]
    [InlineData(300, 300)]
    public void Qr_code_decodes_to_the_verify_url(double width, double height)
    {
        ExternalTool.Require("pdftoppm");
        ExternalTool.Require("zbarimg");
        var pdf = WritePdf(StampAppearanceBuilder.Build(Serial, Url, width, height).Value);
        var png = Path.Combine(_dir, "page");
        Assert.Equal(0, ExternalTool.Run("pdftoppm", ["-r", "150", "-png", "-singlefile", pdf, png]).ExitCode);

        var outcome = ExternalTool.Run("zbarimg", ["--quiet", "--raw", png + ".png"]);

        Assert.True(outcome.ExitCode == 0, outcome.All);
        Assert.Equal(Url, outcome.StdOut.Trim());
    }

    [Theory]
    [InlineData(220, 80, false)]
    [InlineData(110, 150, false)]
    [InlineData(350, 100, false)]
    [InlineData(130, 300, false)]
    [InlineData(160, 54, true)] // a small wide stamp with the widest possible serial: condensed, still inside
    [InlineData(54, 54, true)]
    [InlineData(104, 150, true)]
    public void Text_stays_inside_the_panel(double width, double height, bool widestSerial)
    {
        ExternalTool.Require("pdftotext");
        var serial = widestSerial ? SerialNumber.Parse(StampAppearanceBuilderTests.WithCheck(new string('W', 21))).Value : Serial;
        var url = VerifyAddress.For("https://meterai.example", serial);
        var stamp = StampAppearanceBuilder.Build(serial, url, width, height).Value;
        var pdf = WritePdf(stamp);

        var outcome = ExternalTool.Run("pdftotext", ["-bbox", pdf, "-"]);

        Assert.Equal(0, outcome.ExitCode);
        var words = Regex.Matches(outcome.StdOut, @"<word xMin=""([\d.]+)"" yMin=""([\d.]+)"" xMax=""([\d.]+)"" yMax=""([\d.]+)"">([^<]*)</word>")
            .Select(m => (Box: Enumerable.Range(1, 4).Select(i => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray(), Text: m.Groups[5].Value))
            .ToList();
        Assert.Equal(["METERAI", "ELEKTRONIK", "10000", "SEPULUH", "RIBU", "RUPIAH", serial.Value], words.Select(w => w.Text));

        // pdftotext's boxes are top-down page coordinates; turn the panel (bottom-up, stamp-relative) into them.
        var panel = StampPicture.Create(serial, url, width, height).Value.Layout.Panel.Box;
        double[] OnPage(StampBox b) =>
        [
            StampX + b.X, StampTestPdf.PageHeight - StampY - b.Top,
            StampX + b.X + b.Width, StampTestPdf.PageHeight - StampY - b.Y,
        ];
        var frame = OnPage(panel);
        const double tolerance = 0.01; // pdftotext prints six decimals of values we wrote to three
        foreach (var (box, text) in words)
        {
            Assert.True(box[0] >= frame[0] - tolerance && box[1] >= frame[1] - tolerance && box[2] <= frame[2] + tolerance && box[3] <= frame[3] + tolerance,
                $"'{text}' at [{string.Join(' ', box)}] leaves the panel [{string.Join(' ', frame)}]");
        }
    }

    private string WritePdf(StampAppearance stamp, bool deflateFont = true)
    {
        var path = Path.Combine(_dir, $"stamp-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, StampTestPdf.Write(stamp, StampX, StampY, deflateFont));
        return path;
    }
}
