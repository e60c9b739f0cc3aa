using System.Net;
using Meterai.Bench;
using Meterai.Cli.Attacks.Verification;

namespace Meterai.Cli.Attacks.Stamping;

/// <summary>
/// Ask for the picture of a stamp one does not own (GET /api/v1/serials/{serial}/image): another applicant's serial,
/// with no token, and at a size meant to make the node render a huge bitmap. The stranger must meet exactly the answer
/// an unknown serial gets (no hint that the serial exists), no token 401, and the oversized picture a 400.
/// </summary>
public sealed class StampImageOfAnothersSerial : IAttack
{
    public string Id => "stamp-image-of-anothers-serial";

    public string Item => "11";

    public string Description => "fetch the stamp picture of another applicant's serial, without a token, and at 100000 px";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (_, serial) = await VerificationAttackKit.StampAsync(target, SamplePdf.Create(), ct);
        var stranger = await target.NewApplicantAsync(ct);
        var unknown = Meterai.Core.Serials.SerialNumber.New().Value;

        var theirs = await target.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/serials/{serial}/image"), stranger.Token, null, ct);
        var none = await target.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/serials/{unknown}/image"), stranger.Token, null, ct);
        var anonymous = await target.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/serials/{serial}/image"), null, null, ct);
        var huge = await target.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/serials/{unknown}/image?size=100000"), stranger.Token, null, ct);

        var evidence = $"another's serial {theirs}, unknown serial {none}, no token {anonymous}, size=100000 {huge}";
        if (theirs.Status == HttpStatusCode.OK) return AttackOutcome.Breached($"a stranger got another applicant's stamp picture: {evidence}");
        if (theirs.Status != none.Status || theirs.ProblemCode != none.ProblemCode || Detail(theirs) != Detail(none)) return AttackOutcome.Breached($"another's serial answers unlike an unknown one: {evidence}");
        if (anonymous.Status != HttpStatusCode.Unauthorized) return AttackOutcome.Breached($"no token was not refused with 401: {evidence}");
        if (huge.Status != HttpStatusCode.BadRequest) return AttackOutcome.Breached($"an oversized picture was not refused with 400: {evidence}");
        return AttackOutcome.Held(evidence);
    }

    private static string? Detail(HttpAnswer answer) =>
        answer.Body.Length > 0 && answer.Json.TryGetProperty("detail", out var d) ? d.GetString() : null;
}
