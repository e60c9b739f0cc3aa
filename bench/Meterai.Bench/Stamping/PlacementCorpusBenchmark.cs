using System.Diagnostics;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Bench.Stamping;

/// <summary>One corpus file: where the fixed place and the automatic one put the stamp on page 1, and what lay there.</summary>
/// <param name="FixedInk">Non-white pixels under the fixed (bottom-right) rectangle in the page rendered before stamping.</param>
/// <param name="AutoInk">The same under the automatically chosen rectangle.</param>
/// <param name="AutoChangedOutside">Pixels the auto-placed stamp changed outside its rectangle (0: the stamp is where we say; -1: not stamped).</param>
/// <param name="DescribeMs">Opening the file and reading the page's geometry alone (what the fixed place cost): the
/// scan's own cost is <c>ChooseMs − DescribeMs</c>.</param>
/// <param name="FreeByPixels">Whether the rendered page has any ink-free spot of the stamp's size inside the margin at all.</param>
public sealed record PlacementFileResult(
    string File, PdfRect Fixed, AutoPlacement Auto, int FixedInk, int AutoInk, int AutoChangedOutside, bool FreeByPixels, double ChooseMs, double DescribeMs, double StampMs, string? Error);

/// <summary>
/// For every stampable corpus file: stamps page 1 at the old fixed place and at the automatic one, renders page 1
/// before and after with pdftoppm and counts the non-white pixels under each rectangle in the before image ("lands
/// on ink") and the pixels the stamp changed outside its rectangle (the rectangle is where the stamp really is).
/// Times the automatic choice and the stamp itself on the same thread (median of <c>rounds</c>).
/// </summary>
public static class PlacementCorpusBenchmark
{
    public static IEnumerable<PlacementFileResult> Run(string corpus, int rounds, ISigner signer, double dpi = 100)
    {
        var engine = new StampEngine(new StampEngineOptions { PublicBaseUrl = "https://meterai.example" });
        var work = Directory.CreateTempSubdirectory("meterai-placement-").FullName;
        try
        {
            // Warm-up passes (not measured): the timings are of optimised code, as in a server that has been running.
            for (var pass = 0; pass < 3; pass++)
            {
                foreach (var name in StampableFiles(corpus)) WarmUp(engine, signer, File.ReadAllBytes(Path.Combine(corpus, name)));
            }

            foreach (var name in StampableFiles(corpus))
            {
                yield return Measure(engine, signer, Path.Combine(corpus, name), work, rounds, dpi);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The files MANIFEST.tsv marks <c>stamp</c>.</summary>
    public static IEnumerable<string> StampableFiles(string corpus) =>
        File.ReadLines(Path.Combine(corpus, "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length > 6 && c[6] == "stamp").Select(c => c[0]);

    private static PlacementFileResult Measure(StampEngine engine, ISigner signer, string path, string work, int rounds, double dpi)
    {
        var name = Path.GetFileName(path);
        var input = File.ReadAllBytes(path);
        var geometry = PageInspector.Describe(new MemoryStream(input, writable: false), 1);
        if (!geometry.IsOk) return Failed(name, geometry.Error.ToString());
        var fixedRect = geometry.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
        var chooseMs = new List<double>();
        AutoPlacement? auto = null;
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var chosen = PageInspector.ChooseSpot(new MemoryStream(input, writable: false), 1);
            chooseMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!chosen.IsOk) return Failed(name, chosen.Error.ToString());
            auto = chosen.Value;
        }

        var describeMs = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            PageInspector.Describe(new MemoryStream(input, writable: false), 1);
            describeMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var stampMs = new List<double>();
        byte[]? stamped = null;
        string? stampError = null;
        for (var i = 0; i < rounds && stampError is null; i++)
        {
            using var output = new MemoryStream();
            var start = Stopwatch.GetTimestamp();
            var result = engine.Stamp(new MemoryStream(input, writable: false), output, Request(auto!.Rect), signer);
            stampMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!result.IsOk) stampError = result.Error.Code; // the placement is still measured (e.g. a size the appearance does not draw yet)
            stamped = output.ToArray();
        }

        var before = Path.Combine(work, "before.pdf");
        var after = Path.Combine(work, "after.pdf");
        File.WriteAllBytes(before, input);
        var beforeImage = PageRaster.Render(before, geometry.Value, dpi);
        var changedOutside = -1;
        if (stampError is null)
        {
            File.WriteAllBytes(after, stamped!);
            changedOutside = PageRaster.Render(after, geometry.Value, dpi).ChangedOutside(beforeImage, auto!.Rect);
        }

        var turned = geometry.Value.Rotate is 90 or 270;
        var free = beforeImage.HasFreeSpot(turned ? fixedRect.Height : fixedRect.Width, turned ? fixedRect.Width : fixedRect.Height, DefaultStampSize.Margin);
        return new PlacementFileResult(name, fixedRect, auto!, beforeImage.InkUnder(fixedRect), beforeImage.InkUnder(auto!.Rect),
            changedOutside, free, Median(chooseMs), Median(describeMs), stampError is null ? Median(stampMs) : 0, stampError);
    }

    private static void WarmUp(StampEngine engine, ISigner signer, byte[] input)
    {
        for (var i = 0; i < 10; i++)
        {
            var chosen = PageInspector.ChooseSpot(new MemoryStream(input, writable: false), 1);
            PageInspector.Describe(new MemoryStream(input, writable: false), 1);
            if (chosen.IsOk) _ = engine.Stamp(new MemoryStream(input, writable: false), new MemoryStream(), Request(chosen.Value.Rect), signer);
        }
    }

    private static PlacementFileResult Failed(string name, string error) =>
        new(name, default, new AutoPlacement(default, default, null, null), 0, 0, 0, false, 0, 0, 0, error);

    private static StampRequest Request(PdfRect rect) => new() { Serial = SerialNumber.New(), Rectangle = rect, SigningTime = DateTimeOffset.UtcNow };

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values[values.Count / 2];
    }
}
