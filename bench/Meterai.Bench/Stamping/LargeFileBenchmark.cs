using System.Diagnostics;
using System.Text;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;

namespace Meterai.Bench.Stamping;

/// <summary>What stamping one large file from disk to disk cost.</summary>
public sealed record LargeFileResult(long InputBytes, long OutputBytes, TimeSpan Elapsed, long AllocatedBytes, long PeakWorkingSetDelta);

/// <summary>
/// Stamps a generated large PDF (many pages, each with an incompressible image stream) from a file to a file, to
/// show that the engine streams: the managed memory allocated for the stamp stays far below the file's size.
/// </summary>
public static class LargeFileBenchmark
{
    public static LargeFileResult Run(long targetBytes, string folder, ISigner signer)
    {
        var inputPath = Path.Combine(folder, $"large-{targetBytes / (1024 * 1024)}mb.pdf");
        if (!File.Exists(inputPath) || new FileInfo(inputPath).Length < targetBytes) Generate(inputPath, targetBytes);
        var outputPath = Path.Combine(folder, "large-stamped.pdf");
        var engine = new StampEngine();

        // Warm up the code paths on a small file first, so JIT and one-time caches are not counted.
        var small = Path.Combine(folder, "small.pdf");
        Generate(small, 200 * 1024);
        Stamp(engine, small, outputPath, signer);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var workingSet = Environment.WorkingSet;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        Stamp(engine, inputPath, outputPath, signer);
        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var grown = Math.Max(0, Environment.WorkingSet - workingSet);
        return new LargeFileResult(new FileInfo(inputPath).Length, new FileInfo(outputPath).Length, sw.Elapsed, allocated, grown);
    }

    private static void Stamp(StampEngine engine, string inputPath, string outputPath, ISigner signer)
    {
        using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 4096);
        var geometry = PageInspector.Describe(input, 1);
        if (!geometry.IsOk) throw new InvalidOperationException(geometry.Error.ToString());
        var request = new StampRequest { Serial = SerialNumber.New(), Rectangle = geometry.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin), SigningTime = DateTimeOffset.UtcNow };
        var result = engine.Stamp(input, output, request, signer);
        if (!result.IsOk) throw new InvalidOperationException(result.Error.ToString());
    }

    /// <summary>Writes a PDF of about <paramref name="targetBytes"/>: pages of 1 MiB random-noise gray images (so nothing compresses).</summary>
    public static void Generate(string path, long targetBytes)
    {
        const int side = 1024; // 1024×1024 8-bit gray = 1 MiB per image
        var pages = (int)Math.Max(1, targetBytes / (side * side));
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var offsets = new List<long>();
        void Ascii(string s) => file.Write(Encoding.Latin1.GetBytes(s));
        void Begin() => offsets.Add(file.Position);
        Ascii("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
        Begin();
        Ascii("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Begin();
        Ascii($"2 0 obj\n<< /Type /Pages /Count {pages} /Kids [{string.Join(" ", Enumerable.Range(0, pages).Select(i => $"{3 + 3 * i} 0 R"))}] >>\nendobj\n");
        var random = new Random(1001);
        var pixels = new byte[side * side];
        for (var i = 0; i < pages; i++)
        {
            var page = 3 + 3 * i;
            Begin();
            Ascii($"{page} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 {page + 2} 0 R >> >> /Contents {page + 1} 0 R >>\nendobj\n");
            var content = "q 515 0 0 515 40 280 cm /Im0 Do Q";
            Begin();
            Ascii($"{page + 1} 0 obj\n<< /Length {content.Length} >>\nstream\n{content}\nendstream\nendobj\n");
            random.NextBytes(pixels);
            Begin();
            Ascii($"{page + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {pixels.Length} >>\nstream\n");
            file.Write(pixels);
            Ascii("\nendstream\nendobj\n");
        }

        var xref = file.Position;
        Ascii($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var o in offsets) Ascii($"{o:D10} 00000 n\r\n");
        Ascii($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
    }
}
