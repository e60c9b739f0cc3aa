using System.Net;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// Issue 10, item 6: one caller opens more slow uploads (about 500 B/s) than the node has stamping slots; once they
/// held every slot, and everyone else's stamp answered 503. Held when another caller's stamp is made meanwhile.
/// Knobs (<c>--set</c>): <c>slow-uploads</c> (12; use more than the node's Stamping:MaxInFlight, 128 by default),
/// <c>slow-upload-rate</c> (bytes/s, 500).
/// </summary>
public sealed class SlowUploadStarvation : IAttack
{
    public string Id => "slow-upload-starvation";

    public string Item => "6";

    public string Description => "hold every stamping slot of a node with one caller's slow uploads, so nobody else can stamp";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var count = target.Setting("slow-uploads", 12);
        var rate = target.Setting("slow-upload-rate", 500);
        var (victim, victimApplicant) = await EdgeScene.FundedChannelApplicantAsync(target, 1, ct);
        var (attacker, applicantId) = await EdgeScene.ChannelApplicantAsync(target, ct);

        var uploads = new List<TrickledUpload>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var upload = await TrickledUpload.StartAsync(target.BaseAddress, attacker.Token, applicantId, 64 * 1024, ct);
                upload.Trickle(rate);
                uploads.Add(upload);
            }

            // Until the node shows it is holding them (the attacker's own next request is shed), for at most a second.
            var probe = await SaturationAsync(target, attacker.Token, applicantId, ct);
            var answer = await EdgeScene.StampAsync(target, victim.Token, victimApplicant, ct);
            var evidence = $"{count} slow uploads at {rate} B/s (the attacker's own probe: {probe}); another caller's stamp: {answer}";
            return answer.Status == HttpStatusCode.Created ? AttackOutcome.Held(evidence) : AttackOutcome.Breached(evidence);
        }
        finally
        {
            foreach (var upload in uploads) await upload.DisposeAsync();
        }
    }

    private static async Task<string> SaturationAsync(AttackTarget target, string token, string applicantId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(1);
        HttpAnswer probe;
        do
        {
            probe = await EdgeScene.StampAsync(target, token, applicantId, ct);
            if (probe.Code is 503 or 429) break;
            await Task.Delay(100, ct);
        }
        while (DateTime.UtcNow < deadline);
        return probe.ToString();
    }
}
