namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// Issue 10, item 6: an upload trickled at about 500 B/s was read for as long as the client liked. Held when the server
/// cuts it off (408 <c>request_body_too_slow</c>, or the connection closed) well before the body is complete.
/// Knobs (<c>--set</c>): <c>slow-upload-rate</c> (bytes/s, 500), <c>slow-upload-wait</c> (seconds to wait for the
/// cut-off, 15: more than the server's Api:MinDataRateGraceSeconds).
/// </summary>
public sealed class SlowUploadNotCutOff : IAttack
{
    public string Id => "slow-upload-not-cut-off";

    public string Item => "6";

    public string Description => "trickle one upload at 500 B/s and see whether the server keeps reading it";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var rate = target.Setting("slow-upload-rate", 500);
        var wait = TimeSpan.FromSeconds(target.Setting("slow-upload-wait", 15));
        var (attacker, applicantId) = await EdgeScene.ChannelApplicantAsync(target, ct);
        await using var upload = await TrickledUpload.StartAsync(target.BaseAddress, attacker.Token, applicantId, 64 * 1024, ct);
        upload.Trickle(rate);
        var answered = await Task.WhenAny(upload.Answer, Task.Delay(wait, ct)) == upload.Answer;
        if (!answered) return AttackOutcome.Breached($"still reading after {wait.TotalSeconds:0} s ({upload.Sent} of {upload.Length} bytes at {rate} B/s)");
        var text = await upload.Answer;
        var status = text.Length >= 12 ? text[..12] : "(connection closed)";
        var evidence = $"cut off after {upload.Sent} of {upload.Length} bytes: {status}{(text.Contains("request_body_too_slow", StringComparison.Ordinal) ? " request_body_too_slow" : "")}";
        return upload.Sent < upload.Length && (text.Length == 0 || text.StartsWith("HTTP/1.1 408", StringComparison.Ordinal))
            ? AttackOutcome.Held(evidence)
            : AttackOutcome.Breached(evidence);
    }
}
