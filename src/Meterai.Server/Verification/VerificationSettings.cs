using Meterai.Pdf;

namespace Meterai.Server.Verification;

/// <summary>
/// Configuration of public verification (<c>Verification:*</c>): <c>PerClientPerMinute</c> (30: verifications one client
/// address may ask for per minute on one node, as a token bucket of that size refilled evenly; 0 turns the limit off),
/// <c>MaxCpuSeconds</c> (2) and <c>MaxAllocatedMegabytes</c> (256: the work budget of one verification, as a stamp's),
/// <c>MaxSignaturesListed</c> (20: signatures detailed in an answer, e-Meterai first) and <c>MaxChangeNotes</c> (20: notes
/// per signature); the admission bound is <see cref="VerificationAdmission"/>'s. Every answer also carries the totals.
/// </summary>
public sealed record VerificationSettings
{
    /// <summary>Longest text (field name, signer, message, note) an answer repeats from a file, in characters.</summary>
    public const int MaxTextLength = 256;

    public int PerClientPerMinute { get; init; } = 30;

    public int MaxSignaturesListed { get; init; } = 20;

    /// <summary>The engine's bounds for a verification: its structural limits, its work budget, its notes.</summary>
    public PdfLimits Limits { get; init; } = PdfLimits.Default;

    public static VerificationSettings Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Verification");
        return new VerificationSettings
        {
            PerClientPerMinute = Math.Max(0, s.GetValue("PerClientPerMinute", 30)),
            MaxSignaturesListed = Math.Max(1, s.GetValue("MaxSignaturesListed", 20)),
            Limits = PdfLimits.Default with
            {
                MaxCpuTime = TimeSpan.FromSeconds(Math.Max(0, s.GetValue("MaxCpuSeconds", 2.0))),
                MaxAllocatedBytes = (long)(Math.Max(0, s.GetValue("MaxAllocatedMegabytes", 256.0)) * 1024 * 1024),
                MaxChangeNotes = Math.Max(1, s.GetValue("MaxChangeNotes", 20)),
            },
        };
    }
}
