using Meterai.Bench;
using Meterai.Bench.Bounds;
using Meterai.Core.Serials;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Tests.Budget;

/// <summary>The stamping engine under the same work budget: a damaged file whose recovery costs more stops with a code.</summary>
public sealed class StampBudgetTests
{
    private static readonly byte[] Damaged = DamagedPdf.Create(1024 * 1024);

    private static readonly PdfLimits Tight = PdfLimits.Default with { MaxAllocatedBytes = 4 * 1024 * 1024 };

    [Fact]
    public void Stamping_a_damaged_file_past_its_memory_stops_with_work_limit_exceeded()
    {
        var engine = new StampEngine(new StampEngineOptions { Limits = Tight });
        using var signer = BenchSigner.CreateRsa2048();
        using var output = new MemoryStream();
        var request = new StampRequest { Serial = SerialNumber.New(), Rectangle = new PdfRect(400, 60, 540, 150), SigningTime = DateTimeOffset.UtcNow };

        var stamped = engine.Stamp(new MemoryStream(Damaged, writable: false), output, request, signer);

        Assert.False(stamped.IsOk, "the damaged file was stamped within 4 MB of allocation");
        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, stamped.Error.Code);
    }

    [Fact]
    public void Reading_a_damaged_file_s_page_past_its_memory_stops_with_work_limit_exceeded()
    {
        var geometry = PageInspector.Describe(new MemoryStream(Damaged, writable: false), 1, limits: Tight);

        Assert.False(geometry.IsOk);
        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, geometry.Error.Code);
    }

    [Fact]
    public void The_same_file_stamps_within_the_default_memory_budget()
    {
        // Memory, not time: allocation is a property of the code, processor time also of the machine.
        var engine = new StampEngine(new StampEngineOptions { Limits = PdfLimits.Default with { MaxCpuTime = TimeSpan.Zero } });
        using var signer = BenchSigner.CreateRsa2048();
        using var output = new MemoryStream();
        var request = new StampRequest { Serial = SerialNumber.New(), Rectangle = new PdfRect(400, 60, 540, 150), SigningTime = DateTimeOffset.UtcNow };

        var stamped = engine.Stamp(new MemoryStream(Damaged, writable: false), output, request, signer);

        Assert.True(stamped.IsOk, stamped.Error?.ToString());
        Assert.True(stamped.Value.Repaired);
    }
}
