using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// Issue 10, item 9: <c>POST /tsa</c> signed RFC 3161 timestamps for anyone (2,000 in 1.8 s), a free signing oracle and
/// CPU sink. Held when an anonymous request is refused every time.
/// </summary>
public sealed class TimestampsForAnyone : IAttack
{
    public string Id => "tsa-for-anyone";

    public string Item => "9";

    public string Description => "ask the service's timestamp authority to sign timestamps without being its caller";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var answers = new List<HttpAnswer>();
        for (var i = 0; i < 20; i++) answers.Add(await TimestampQuery.SendAsync(target, null, ct));
        var granted = answers.Count(a => a.Status == HttpStatusCode.OK);
        var evidence = $"{granted} of {answers.Count} anonymous requests signed; first answer {answers[0]}";
        return granted == 0 && answers.All(a => a.Code is 401 or 403 or 404) ? AttackOutcome.Held(evidence) : AttackOutcome.Breached(evidence);
    }
}

/// <summary>
/// Issue 10, item 9: a caller of the service floods the timestamp authority. Held when the node stops it within
/// <c>tsa-burst</c> requests (<c>--set</c>, 100; more than the server's Signing:TsaPermitsPerMinute, 60 by default).
/// </summary>
public sealed class TimestampFlood : IAttack
{
    public string Id => "tsa-flood-by-caller";

    public string Item => "9";

    public string Description => "as one authenticated caller, ask for timestamps as fast as the server answers";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var burst = target.Setting("tsa-burst", 100);
        var caller = await target.NewChannelAsync(ct);
        for (var i = 1; i <= burst; i++)
        {
            var answer = await TimestampQuery.SendAsync(target, caller.Token, ct);
            if (answer.Code == 429) return AttackOutcome.Held($"stopped at request {i}: {answer}, Retry-After {answer.Headers.GetValueOrDefault("Retry-After")}");
            if (answer.Status != HttpStatusCode.OK) return AttackOutcome.Held($"refused at request {i}: {answer}");
        }

        return AttackOutcome.Breached($"{burst} timestamps signed for one caller in a row");
    }
}

internal static class TimestampQuery
{
    public static async Task<HttpAnswer> SendAsync(AttackTarget target, string? token, CancellationToken ct)
    {
        var query = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData(Guid.NewGuid().ToByteArray()), HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true).Encode();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tsa") { Content = new ByteArrayContent(query) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        return await target.SendAsync(request, token, null, ct);
    }
}
