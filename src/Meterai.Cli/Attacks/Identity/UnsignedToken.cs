using System.Net;
using System.Text;

namespace Meterai.Cli.Attacks.Identity;

/// <summary>
/// The oldest JWT trick: a token with "alg":"none" and no signature, naming an issuer admin. It must be refused with
/// 401 and a code (this held before issue 10; it stays in the set so it keeps holding).
/// </summary>
public sealed class UnsignedToken : IAttack
{
    public string Id => "token-alg-none";

    public string Item => "held";

    public string Description => "present an unsigned (alg none) token that claims the issuer-admin role";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        var payload = Base64Url($"{{\"sub\":\"{Guid.NewGuid()}\",\"knd\":\"operator\",\"rol\":[\"issuer_admin\"],\"iat\":{now},\"exp\":{now + 600},\"jti\":\"{Guid.NewGuid():N}\"}}");
        var answer = await target.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, $"{header}.{payload}.", null, ct);
        return answer.Status == HttpStatusCode.Unauthorized && answer.ProblemCode is not null
            ? AttackOutcome.Held($"refused: {answer}")
            : AttackOutcome.Breached($"expected 401 with a code, got {answer}");
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
