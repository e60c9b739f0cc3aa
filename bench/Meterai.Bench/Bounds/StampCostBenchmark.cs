using System.Diagnostics;
using Meterai.Core.Serials;
using Meterai.Pdf;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Bench.Bounds;

/// <summary>What stamping one file once cost on its thread: what a stamp job does (page geometry, then the stamp).</summary>
public sealed record StampCostResult(string Outcome, TimeSpan Cpu, TimeSpan Wall, long AllocatedBytes, long OutputBytes);

/// <summary>
/// Stamps a file once on a fresh thread, as a background job does it (read the page's geometry for the default
/// placement, then prepare, sign and complete) from a file on disk, as a job reads its stored upload, and measures
/// that thread's processor time and allocation.
/// </summary>
public static class StampCostBenchmark
{
    public static StampCostResult Run(byte[] file, ISigner signer, PdfLimits limits)
    {
        StampCostResult? result = null;
        var path = Path.Combine(Path.GetTempPath(), $"meterai-bench-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, file);
        Stream Open() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        var thread = new Thread(() =>
        {
            var engine = new StampEngine(new StampEngineOptions { PublicBaseUrl = "https://meterai.example", Limits = limits });
            var cpu = ThreadCpuTime.Now();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var wall = Stopwatch.StartNew();
            using var output = new MemoryStream();
            var outcome = "stamped";
            using var first = Open();
            var geometry = PageInspector.Describe(first, 1, limits: limits);
            if (!geometry.IsOk)
            {
                outcome = geometry.Error.Code;
            }
            else
            {
                var request = new StampRequest { Serial = SerialNumber.New(), Rectangle = geometry.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin), SigningTime = DateTimeOffset.UtcNow };
                using var second = Open();
                var stamped = engine.Stamp(second, output, request, signer);
                if (!stamped.IsOk) outcome = stamped.Error.Code;
            }

            wall.Stop();
            result = new StampCostResult(outcome, ThreadCpuTime.Now() - cpu, wall.Elapsed, GC.GetAllocatedBytesForCurrentThread() - bytes, output.Length);
        }, 16 * 1024 * 1024);
        thread.Start();
        thread.Join();
        File.Delete(path);
        return result!;
    }
}
