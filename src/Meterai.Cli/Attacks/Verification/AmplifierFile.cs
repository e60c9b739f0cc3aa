namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Issue 10 item 4: the verification amplifier — a 3 MB PDF whose hundred signature fields share one signature, with
/// twenty thousand objects rewritten after it. Unbounded, it cost 5 s of processor time, 368 MB and a 79 MB answer.
/// Held when the answer is bounded: a capped answer or work_limit_exceeded, either under 256 KiB.
/// </summary>
public sealed class AmplifierFile : IAttack
{
    public string Id => "verify-bounds-amplifier";

    public string Item => "4";

    public string Description => "post a small PDF whose hundred signature fields share one signature over twenty thousand rewritten objects to the anonymous verifier";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        using var http = VerifyClient.NewClient(target);
        var answer = await VerifyClient.VerifyAsync(http, VerifyClient.Amplifier.Value, ct);
        return VerifyClient.Unbounded(answer) is { } why
            ? AttackOutcome.Breached($"the amplifier got an unbounded answer: {why}")
            : AttackOutcome.Held($"bounded: {VerifyClient.Summary(answer)}");
    }
}
