using Meterai.Bench.Bounds;
using Meterai.Pdf.Verification;

namespace Meterai.Pdf.Tests.Verification;

/// <summary>
/// Issue 10 item 4, the engine's part: the amplifier (many fields sharing one signature, thousands of objects
/// rewritten after it) is judged once per signature and revision, its notes are capped, and whatever a file asks
/// for, a verification stops at its processor-time and memory budget with <c>work_limit_exceeded</c>.
/// </summary>
public sealed class VerificationBoundsTests
{
    private static readonly PdfLimits NoBudget = PdfLimits.Default with { MaxCpuTime = TimeSpan.Zero, MaxAllocatedBytes = 0 };

    private static readonly Lazy<byte[]> Amplifier = new(() => AmplifierPdf.Create());

    private static readonly Lazy<byte[]> SmallAmplifier = new(() => AmplifierPdf.Create(seed: 7, fields: 20, objects: 2_000));

    private static VerificationReport Verify(byte[] pdf, PdfLimits limits)
    {
        var result = PdfVerifier.Verify(new MemoryStream(pdf, writable: false), limits: limits);
        Assert.True(result.IsOk, result.Error?.ToString());
        return result.Value;
    }

    [Fact]
    public void Fields_sharing_one_signature_share_one_judgement_of_what_changed_after_it()
    {
        var report = Verify(SmallAmplifier.Value, NoBudget);

        Assert.Equal(20, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal(ModificationLevel.Changed, s.ChangesAfter));
        // One comparison of the revisions, not one per field: every field carries the same notes.
        var first = report.Signatures[0].ChangeNotes;
        Assert.All(report.Signatures, s => Assert.Same(first, s.ChangeNotes));
    }

    [Fact]
    public void Change_notes_are_capped_and_the_rest_counted()
    {
        var report = Verify(SmallAmplifier.Value, NoBudget);

        Assert.All(report.Signatures, s =>
        {
            Assert.True(s.ChangeNotes.Count <= PdfLimits.Default.MaxChangeNotes, $"{s.ChangeNotes.Count} notes kept");
            Assert.True(s.ChangeNoteCount >= 2_000, $"{s.ChangeNoteCount} changes counted");
        });
    }

    [Fact]
    public void A_verification_past_its_processor_time_stops_with_work_limit_exceeded()
    {
        var result = PdfVerifier.Verify(new MemoryStream(Amplifier.Value, writable: false), limits: PdfLimits.Default with { MaxCpuTime = TimeSpan.FromMilliseconds(5) });

        Assert.False(result.IsOk, "the amplifier verified within 5 ms of processor time");
        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, result.Error.Code);
        Assert.Contains("processor time", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verification_past_its_memory_stops_with_work_limit_exceeded()
    {
        var result = PdfVerifier.Verify(new MemoryStream(Amplifier.Value, writable: false), limits: PdfLimits.Default with { MaxAllocatedBytes = 2 * 1024 * 1024 });

        Assert.False(result.IsOk, "the amplifier verified within 2 MB of allocation");
        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, result.Error.Code);
        Assert.Contains("memory", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_amplifier_verifies_within_the_default_memory_budget()
    {
        // Memory, not time: allocation is a property of the code, processor time also of the machine.
        var report = Verify(Amplifier.Value, PdfLimits.Default with { MaxCpuTime = TimeSpan.Zero });

        Assert.Equal(100, report.Signatures.Count);
        Assert.True(report.ChangedAfterEMeterai);
    }
}
