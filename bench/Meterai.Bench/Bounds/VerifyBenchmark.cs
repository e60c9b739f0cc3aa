using System.Diagnostics;
using System.Text.Json;
using Meterai.Pdf;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Verification;

namespace Meterai.Bench.Bounds;

/// <summary>What verifying one file cost on its thread, and how large the engine's report is as JSON.</summary>
public sealed record VerifyBenchResult(string Outcome, int Signatures, TimeSpan Cpu, TimeSpan Wall, long AllocatedBytes, long ReportJsonBytes);

/// <summary>
/// Verifies a file once on a fresh thread (after one warm-up verification of the same file) and measures that
/// thread: processor time (<see cref="ThreadCpuTime"/>), wall time, managed bytes allocated, and the size of the
/// engine's report as snake_case JSON (what the HTTP answer was built from, one to one, before issue 10 item 4).
/// </summary>
public static class VerifyBenchmark
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static VerifyBenchResult Run(byte[] file, PdfLimits limits, bool warmUp = true)
    {
        if (warmUp) Measure(file, limits);
        return Measure(file, limits);
    }

    private static VerifyBenchResult Measure(byte[] file, PdfLimits limits)
    {
        VerifyBenchResult? result = null;
        var thread = new Thread(() =>
        {
            var cpu = ThreadCpuTime.Now();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var wall = Stopwatch.StartNew();
            var verified = PdfVerifier.Verify(new MemoryStream(file, writable: false), limits: limits);
            wall.Stop();
            var used = ThreadCpuTime.Now() - cpu;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
            var json = verified.IsOk ? JsonSerializer.SerializeToUtf8Bytes(verified.Value, Json).LongLength : 0;
            result = new VerifyBenchResult(verified.IsOk ? "verified" : verified.Error.Code, verified.IsOk ? verified.Value.Signatures.Count : 0, used, wall.Elapsed, allocated, json);
        }, 16 * 1024 * 1024);
        thread.Start();
        thread.Join();
        return result!;
    }
}
