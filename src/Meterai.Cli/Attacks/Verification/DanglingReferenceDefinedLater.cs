using Meterai.Bench;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Stamp a PDF whose page draws a Form XObject (900 0 R) the file never defines, then append an update that only
/// defines object 900: a white box and another amount over the page. No signed object is rewritten, so a verifier
/// that compares only rewritten objects calls the change harmless.
/// </summary>
public sealed class DanglingReferenceDefinedLater : IAttack
{
    public string Id => "verify-dangling-reference-defined-later";

    public string Item => "1";

    public string Description => "define, after stamping, an object the stamped page referred to but the file did not define";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (stamped, serial) = await VerificationAttackKit.StampAsync(target, TamperedPdf.WithMissingXObject(), ct);
        return await VerificationAttackKit.ExpectChangedAsync(target, TamperedPdf.DefineMissingXObject(stamped), serial, ct);
    }
}
