using Meterai.Bench;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// After stamping, add an unsigned signature widget (a "signature field" with nothing signed) whose own appearance
/// lays a white box and another amount over the page: a verifier that admits any signature field calls it harmless.
/// </summary>
public sealed class UnsignedWidgetOverlay : IAttack
{
    public string Id => "verify-unsigned-widget-overlay";

    public string Item => "1";

    public string Description => "lay an unsigned signature widget with its own appearance over a stamped page";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (stamped, serial) = await VerificationAttackKit.StampAsync(target, SamplePdf.Create(pages: 1), ct);
        return await VerificationAttackKit.ExpectChangedAsync(target, TamperedPdf.WithOverlayAnnotation(stamped, page: 4, subtype: "Widget"), serial, ct);
    }
}
