using System.Diagnostics;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Bench.Stamping;

/// <summary>What one run of <see cref="StampBenchmark"/> measured.</summary>
public sealed record StampBenchResult(int Threads, long Documents, TimeSpan Elapsed, double MedianMs, double P90Ms, long AllocatedBytesPerDoc, long InputBytes, long OutputBytes)
{
    public double StampsPerSecond => Documents / Elapsed.TotalSeconds;

    public double MsPerDoc => Elapsed.TotalMilliseconds * Threads / Documents;
}

/// <summary>
/// Stamps one file over and over on N threads with one shared engine and one RSA-2048 key, the way the service does:
/// input from memory (an upload), output into memory (a buffer the response or the file store then takes), both
/// reused between stamps. Measures documents per second, time per document and managed bytes allocated per
/// document (<see cref="GC.GetAllocatedBytesForCurrentThread"/> on each worker). Serials are minted before the clock
/// starts: in the service they come from the registry, not from the stamping engine.
/// </summary>
public static class StampBenchmark
{
    public static StampBenchResult Run(byte[] input, int threads, TimeSpan duration, TimeSpan warmup, ISigner signer, Action<string>? log = null)
    {
        var engine = new StampEngine(new StampEngineOptions { PublicBaseUrl = "https://meterai.example" });
        var rect = Placement(input);
        // A first stamp checks the file can be stamped at all and gives the output size.
        using (var check = new MemoryStream())
        {
            var first = engine.Stamp(new MemoryStream(input, writable: false), check, Request(rect), signer);
            if (!first.IsOk) throw new InvalidOperationException($"the file cannot be stamped: {first.Error}");
        }

        RunWorkers(engine, input, rect, signer, threads, warmup, out _, out _);
        var sw = Stopwatch.StartNew();
        var (docs, allocated) = RunWorkers(engine, input, rect, signer, threads, duration, out var latencies, out var outputLength);
        sw.Stop();
        latencies.Sort();
        var median = latencies.Count == 0 ? 0 : latencies[latencies.Count / 2];
        var p90 = latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, latencies.Count * 9 / 10)];
        log?.Invoke($"measured {docs} stamps in {sw.Elapsed.TotalSeconds:F1} s");
        return new StampBenchResult(threads, docs, sw.Elapsed, median, p90, docs == 0 ? 0 : allocated / docs, input.Length, outputLength);
    }

    public static PdfRect Placement(byte[] input)
    {
        var geometry = PageInspector.Describe(new MemoryStream(input, writable: false), 1);
        if (!geometry.IsOk) throw new InvalidOperationException($"cannot read page 1: {geometry.Error}");
        return geometry.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
    }

    private static readonly SerialNumber[] Serials = Enumerable.Range(0, 4096).Select(_ => SerialNumber.New()).ToArray();
    private static int _next;

    private static StampRequest Request(PdfRect rect) => new()
    {
        Serial = Serials[(Interlocked.Increment(ref _next) & int.MaxValue) % Serials.Length],
        Rectangle = rect,
        SigningTime = DateTimeOffset.UtcNow,
    };

    private static (long Docs, long Allocated) RunWorkers(StampEngine engine, byte[] input, PdfRect rect, ISigner signer, int threads, TimeSpan duration, out List<double> latencies, out long outputLength)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perThread = new List<double>[threads];
        var counts = new long[threads];
        var allocations = new long[threads];
        long length = 0;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var local = new List<double>(1 << 16);
            var output = new MemoryStream(input.Length + 64 * 1024);
            var before = GC.GetAllocatedBytesForCurrentThread();
            long n = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                output.SetLength(0);
                var result = engine.Stamp(new MemoryStream(input, 0, input.Length, writable: false, publiclyVisible: true), output, Request(rect), signer);
                if (!result.IsOk) throw new InvalidOperationException(result.Error.ToString());
                local.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                n++;
                Interlocked.Exchange(ref length, output.Length);
            }

            allocations[t] = GC.GetAllocatedBytesForCurrentThread() - before;
            counts[t] = n;
            perThread[t] = local;
        }) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        latencies = perThread.SelectMany(l => l).ToList();
        outputLength = length;
        return (counts.Sum(), allocations.Sum());
    }
}
