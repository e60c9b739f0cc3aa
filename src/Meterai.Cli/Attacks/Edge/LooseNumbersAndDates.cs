using System.Net;
using System.Text;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// Issue 10, item 10c: <c>"stamps":"3"</c> was read as the number 3. The probe mints "0" stamps as a string: a server
/// that reads the string as a number refuses the zero (<c>stamps_invalid</c>, nothing minted either way); one that
/// holds JSON numbers to be numbers refuses the string (<c>invalid_json</c> naming <c>stamps</c>).
/// </summary>
public sealed class NumberAsString : IAttack
{
    public string Id => "number-as-string";

    public string Item => "10c";

    public string Description => "send a JSON number as a string and see whether the server reads it as a number";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var admin = await target.IssuerAdminTokenAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/issuer/mint") { Content = new StringContent("{\"stamps\":\"0\"}", Encoding.UTF8, "application/json") };
        var answer = await target.SendAsync(request, admin, Guid.NewGuid().ToString("N"), ct);
        var field = answer.Code == 400 && answer.Json.TryGetProperty("field", out var f) ? f.GetString() : null;
        return answer.ProblemCode == "invalid_json" && field == "stamps"
            ? AttackOutcome.Held($"refused: {answer} (field {field})")
            : AttackOutcome.Breached($"the string was read as a number: {answer}");
    }
}

/// <summary>
/// Issue 10, item 10c: a document dated 9999-12-31 was stamped. The probe stamps for an applicant without quota: a
/// server that accepts the date answers 402 (nothing is charged either way); one that bounds dates answers 400
/// <c>document_date_invalid</c>.
/// </summary>
public sealed class AbsurdDocumentDate : IAttack
{
    public string Id => "absurd-document-date";

    public string Item => "10c";

    public string Description => "stamp a document dated 9999-12-31";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (channel, applicantId) = await EdgeScene.ChannelApplicantAsync(target, ct);
        var answer = await EdgeScene.StampAsync(target, channel.Token, applicantId, ct, documentDate: "9999-12-31");
        return answer.Status == HttpStatusCode.BadRequest && answer.ProblemCode == "document_date_invalid"
            ? AttackOutcome.Held($"refused: {answer}")
            : AttackOutcome.Breached($"the date was accepted: {answer}");
    }
}
