using Meterai.Pdf.Budget;

namespace Meterai.Pdf.Ink;

/// <summary>
/// The ink scan's own bounds, well inside the stamp's work budget: the scan may use a share of it and must leave
/// the rest to the stamp, so it stops by itself (and the stamp goes to the usual place) instead of spending the
/// budget, which would fail the stamp.
/// </summary>
internal sealed class InkScanBounds
{
    private const int TicksPerCpuCheck = 1024;

    private readonly TimeSpan _cpuStart = ThreadCpuTime.Now();
    private readonly long _bytesStart = GC.GetAllocatedBytesForCurrentThread();
    private readonly TimeSpan _maxCpu;
    private readonly long _maxBytes;
    private readonly long _maxDecoded;
    private long _decoded;
    private long _ticks;
    private int _forms;

    /// <summary>A quarter of what is left of the budget in charge (the caller's, else the limits').</summary>
    public InkScanBounds(PdfLimits limits)
    {
        var outer = WorkBudget.Current;
        var cpu = outer is { MaxCpuTime.Ticks: > 0 } ? outer.MaxCpuTime - outer.CpuUsed : limits.MaxCpuTime;
        var bytes = outer is { MaxAllocatedBytes: > 0 } ? outer.MaxAllocatedBytes - outer.BytesAllocated : limits.MaxAllocatedBytes;
        _maxCpu = cpu > TimeSpan.Zero ? cpu / 4 : limits.MaxCpuTime > TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(1);
        _maxBytes = bytes > 0 ? bytes / 4 : limits.MaxAllocatedBytes > 0 ? 0 : 256L << 20;
        _maxDecoded = 2L * limits.MaxDecodedStreamBytes;
    }

    public const int MaxForms = 20_000;

    public const long MaxCells = 200_000_000;

    /// <summary>Operators interpreted (the scan's unit of work).</summary>
    public long Operators => _ticks;

    public TimeSpan CpuUsed => ThreadCpuTime.Now() - _cpuStart;

    public void Tick()
    {
        if (++_ticks % TicksPerCpuCheck != 0) return;
        if (CpuUsed > _maxCpu) throw new InkBudgetException($"reading where the page's ink lies took more than {_maxCpu.TotalSeconds:0.###} s of processor time");
        if (GC.GetAllocatedBytesForCurrentThread() - _bytesStart > _maxBytes) throw new InkBudgetException($"reading where the page's ink lies needed more than {_maxBytes >> 20} MB");
    }

    public void Decoded(int bytes)
    {
        _decoded += bytes;
        if (_decoded > _maxDecoded) throw new InkBudgetException($"the page's content decodes to more than {_maxDecoded >> 20} MB");
    }

    public void Form()
    {
        if (++_forms > MaxForms) throw new InkBudgetException($"the page calls more than {MaxForms} forms");
    }

    public void Cells(long touched)
    {
        if (touched > MaxCells) throw new InkBudgetException("the page paints too much for the placement grid");
    }
}
