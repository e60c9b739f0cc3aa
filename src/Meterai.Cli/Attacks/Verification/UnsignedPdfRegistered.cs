using System.Text.Json;
using Meterai.Bench;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Verify a PDF with no signature at all: "every e-Meterai is registered" is vacuously true of none, and a client
/// reading all_e_meterai_registered would take an unstamped document for a stamped one.
/// </summary>
public sealed class UnsignedPdfRegistered : IAttack
{
    public string Id => "verify-unsigned-pdf-all-registered";

    public string Item => "1";

    public string Description => "verify a PDF without any e-Meterai and look for all_e_meterai_registered: true";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (json, answer) = await VerificationAttackKit.VerifyAsync(target, SamplePdf.Create(), ct);
        if (json is not { } report) return AttackOutcome.Breached($"a plain PDF could not be verified: {answer}");
        var registered = report.GetProperty("all_e_meterai_registered");
        var count = report.TryGetProperty("e_meterai_count", out var c) ? c.GetInt32() : (int?)null;
        var evidence = $"all_e_meterai_registered={registered}, e_meterai_count={count?.ToString() ?? "absent"}";
        return registered.ValueKind != JsonValueKind.True && count == 0
            ? AttackOutcome.Held(evidence)
            : AttackOutcome.Breached($"a PDF without e-Meterai: {evidence}");
    }
}
