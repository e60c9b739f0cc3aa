using Meterai.Core.Serials;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.TestSupport;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Stamping;

/// <summary>
/// The QR code scans, judged by a reader we did not write: each supported size is stamped on a real page by the
/// engine, the page rendered by pdftoppm at 150 and at 300 dpi, and zbarimg must read exactly the stamp's verify URL.
/// Each rendering is kept under TestResults/stamp-sizes/ for people to look at.
/// </summary>
public class StampScanTests
{
    /// <summary>A short host (QR version 4) and a long one (version 5, smaller modules).</summary>
    private static readonly string[] BaseUrls = ["https://meterai.example", "https://e-meterai.example.co.id"];

    public static TheoryData<string, double, double, int> Sizes
    {
        get
        {
            var data = new TheoryData<string, double, double, int>();
            foreach (var baseUrl in BaseUrls)
            {
                foreach (var (w, h) in new[] { (54.0, 54.0), (62.0, 62.0), (80.0, 80.0), (100.0, 100.0), (160.0, 54.0), (216.0, 54.0), (54.0, 120.0) })
                {
                    data.Add(baseUrl, w, h, 150);
                    data.Add(baseUrl, w, h, 300);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Zbarimg_reads_the_verify_url_from_the_rendered_page(string baseUrl, double width, double height, int dpi)
    {
        var engine = new StampEngine(new StampEngineOptions { PublicBaseUrl = baseUrl });
        var input = Fixtures.Fixtures.Plain;
        // A fixed serial per case: the test reads the same symbol every run (the hole's margin was measured over
        // random serials, see StampStyle.HoleAcross).
        var serial = SerialNumber.Parse(Appearance.StampAppearanceBuilderTests.WithCheck(FormattableString.Invariant($"SCAN{width:000}{height:000}{dpi:000}{baseUrl.Length:00}").PadRight(21, 'Q'))).Value;
        var request = Request(input, rect: new PdfRect(300, 100, 300 + width, 100 + height)) with { Serial = serial };
        var (output, _) = Stamp(input, request, engine);
        var name = FormattableString.Invariant($"{width}x{height}-{dpi}dpi-{new Uri(baseUrl).Host}");

        var png = Render(output, name, dpi);

        Assert.Equal(engine.Options.VerifyUrl(request.Serial), Scan(png));
    }

    /// <summary>
    /// Every size on one page, each an incremental update of its own: the picture in docs/stamp-sizes.png is this
    /// test's rendering (TestResults/stamp-sizes/all-sizes-150dpi.png), and zbarimg finds every stamp's URL in it.
    /// </summary>
    [Fact]
    public void All_sizes_on_one_page_scan_together()
    {
        var pdf = Fixtures.Fixtures.Plain;
        var expected = new List<string>();
        var x = 40.0;
        foreach (var (w, h) in new[] { (54.0, 54.0), (62.0, 62.0), (80.0, 80.0), (100.0, 100.0) })
        {
            var request = Request(pdf, rect: new PdfRect(x, 560, x + w, 560 + h));
            pdf = Stamp(pdf, request).Output;
            expected.Add(Engine.Options.VerifyUrl(request.Serial));
            x += w + 24;
        }

        foreach (var (w, h, y) in new[] { (160.0, 54.0, 470.0), (216.0, 54.0, 390.0) })
        {
            var request = Request(pdf, rect: new PdfRect(40, y, 40 + w, y + h));
            pdf = Stamp(pdf, request).Output;
            expected.Add(Engine.Options.VerifyUrl(request.Serial));
        }

        var png = Render(pdf, "all-sizes-150dpi", 150);

        Assert.Equal(expected.Order(), Scan(png).Split('\n').Order());
    }

    /// <summary>Renders page 1 to PNG, keeps a copy as an artifact and returns its path.</summary>
    internal static string Render(byte[] pdf, string name, int dpi, int page = 1)
    {
        ExternalTool.Require("pdftoppm");
        var path = Fixtures.Fixtures.Save(name + ".pdf", pdf);
        var prefix = Path.Combine(Path.GetDirectoryName(path)!, name);
        var r = ExternalTool.Run("pdftoppm", ["-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", $"{page}", "-l", $"{page}", "-png", "-singlefile", path, prefix]);
        Assert.True(r.ExitCode == 0, r.All);
        var artifacts = Directory.CreateDirectory(Path.Combine(TestEnvironment.RepositoryRoot, "TestResults", "stamp-sizes")).FullName;
        File.Copy(prefix + ".png", Path.Combine(artifacts, name + ".png"), overwrite: true);
        return prefix + ".png";
    }

    /// <summary>What zbarimg reads from a picture (one symbol expected), or the failure as the test's message.</summary>
    internal static string Scan(string png)
    {
        ExternalTool.Require("zbarimg");
        var r = ExternalTool.Run("zbarimg", ["--raw", "-q", png]);
        Assert.True(r.ExitCode == 0, $"zbarimg found no QR code in {png} (exit {r.ExitCode}): {r.All}");
        return r.StdOut.TrimEnd('\n');
    }
}
