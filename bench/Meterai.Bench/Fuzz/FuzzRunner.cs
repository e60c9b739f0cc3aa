using System.Diagnostics;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Verification;

namespace Meterai.Bench.Fuzz;

/// <summary>How one fuzz case ended.</summary>
public enum FuzzVerdict
{
    /// <summary>Stamped, and the new signature verifies over the whole output.</summary>
    Stamped,

    /// <summary>Refused with an error code.</summary>
    Rejected,

    /// <summary>A failure of the engine: an exception escaped, a stamp did not verify, or a bound was broken.</summary>
    Failed,
}

/// <param name="Elapsed">Processor time the case used (the bound's measure: this machine is shared, wall time is not its own).</param>
/// <param name="WallTime">Wall-clock time, for the record.</param>
public sealed record FuzzCase(int Index, PdfMutator.Kind Kind, string Source, FuzzVerdict Verdict, string Detail, TimeSpan Elapsed, TimeSpan WallTime, long AllocatedBytes, byte[]? Input);

public sealed record FuzzSummary(IReadOnlyList<FuzzCase> Cases, TimeSpan Elapsed)
{
    public IEnumerable<FuzzCase> Failures => Cases.Where(c => c.Verdict == FuzzVerdict.Failed);

    public FuzzCase? Slowest => Cases.MaxBy(c => c.Elapsed);

    public FuzzCase? Hungriest => Cases.MaxBy(c => c.AllocatedBytes);
}

/// <summary>
/// Feeds mutated PDFs to the stamping engine. Each case must end as a stamp that our own verifier accepts (the new
/// e-Meterai signature valid and covering the whole output) or as a rejection with a code; an escaped exception, a
/// stamp that does not verify, more than <see cref="MaxTime"/> of processor time or more than
/// <see cref="MaxAllocatedBytes"/> of managed allocation fails the case. A case is: read the page geometry, stamp,
/// verify the output with our own verifier; all three count.
/// </summary>
/// <param name="externalCheck">Optional independent check of a stamped output against its input (e.g. qpdf --check on
/// both): returns a failure description or null; called for every <paramref name="externalCheckEvery"/>-th stamped case.</param>
public sealed class FuzzRunner(IReadOnlyList<byte[]> seeds, ISigner signer, Func<byte[], byte[], string?>? externalCheck = null, int externalCheckEvery = 50)
{
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);
    public const long MaxAllocatedBytes = 256L * 1024 * 1024;

    private readonly PdfMutator _mutator = new(seeds);
    private readonly StampEngine _engine = new();
    private int _stampedSoFar;

    public FuzzSummary Run(int seed, int cases, Action<FuzzCase>? progress = null)
    {
        var results = new List<FuzzCase>(cases);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < cases; i++)
        {
            var c = RunCase(seed, i);
            results.Add(c);
            progress?.Invoke(c);
        }

        return new FuzzSummary(results, sw.Elapsed);
    }

    public FuzzCase RunCase(int seed, int index)
    {
        var (kind, source, bytes) = _mutator.Mutate(seed, index);
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        FuzzVerdict verdict;
        string detail;
        try
        {
            (verdict, detail) = StampAndCheck(bytes);
        }
        catch (Exception e)
        {
            verdict = FuzzVerdict.Failed;
            detail = $"unhandled {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }

        var wall = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        var elapsed = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (verdict != FuzzVerdict.Failed && elapsed > MaxTime)
        {
            verdict = FuzzVerdict.Failed;
            detail = $"took {elapsed.TotalMilliseconds:F0} ms of processor time, {wall.TotalMilliseconds:F0} ms wall (bound {MaxTime.TotalMilliseconds:F0} ms); {detail}";
        }

        if (verdict != FuzzVerdict.Failed && allocated > MaxAllocatedBytes)
        {
            verdict = FuzzVerdict.Failed;
            detail = $"allocated {allocated / (1024 * 1024)} MiB (bound {MaxAllocatedBytes / (1024 * 1024)} MiB); {detail}";
        }

        return new FuzzCase(index, kind, source, verdict, detail, elapsed, wall, allocated, verdict == FuzzVerdict.Failed ? bytes : null);
    }

    private (FuzzVerdict, string) StampAndCheck(byte[] bytes)
    {
        // The fixed place: the fuzz bounds the stamp's own work; the ink scan's bounds are tested on their own
        // (StampPlacementContract, a page built to make the scan expensive).
        var geometry = PageInspector.Describe(new MemoryStream(bytes, writable: false), 1);
        var rect = geometry.IsOk ? geometry.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin) : new PdfRect(10, 10, 150, 100);
        var request = new StampRequest { Serial = SerialNumber.New(), Rectangle = rect, SigningTime = DateTimeOffset.UtcNow };
        using var output = new MemoryStream();
        var result = _engine.Stamp(new MemoryStream(bytes, writable: false), output, request, signer);
        if (!result.IsOk)
        {
            var code = result.Error.Code;
            return string.IsNullOrEmpty(code) || code.Any(ch => ch is not (>= 'a' and <= 'z' or '_'))
                ? (FuzzVerdict.Failed, $"rejection without a proper code: {result.Error}")
                : (FuzzVerdict.Rejected, code);
        }

        var stamped = output.ToArray();
        if (!stamped.AsSpan(0, bytes.Length).SequenceEqual(bytes)) return (FuzzVerdict.Failed, "the input is not a prefix of the output");
        var report = PdfVerifier.Verify(new MemoryStream(stamped, writable: false));
        if (!report.IsOk) return (FuzzVerdict.Failed, $"our own output does not open: {report.Error}");
        var ours = report.Value.Signatures.FirstOrDefault(s => s.Serial == request.Serial.Value);
        if (ours is null) return (FuzzVerdict.Failed, "the new signature is not found in the output");
        if (!ours.IntegrityValid || !ours.CoversWholeFile)
        {
            return (FuzzVerdict.Failed, $"the new signature does not verify: {ours.FailureCode} {ours.FailureMessage}");
        }

        if (externalCheck is not null && _stampedSoFar++ % externalCheckEvery == 0 && externalCheck(bytes, stamped) is { } problem)
        {
            return (FuzzVerdict.Failed, $"independent check failed: {problem}");
        }

        return (FuzzVerdict.Stamped, result.Value.Repaired ? "stamped (repaired)" : "stamped");
    }
}
