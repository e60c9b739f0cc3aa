using System.Globalization;
using System.Net;

namespace Meterai.Cli.Attacks.Identity;

/// <summary>
/// Issue 10, item 7: five wrong passwords for the issuer admin locked the account for 15 minutes, the right password
/// refused. Failures may slow the client down by short, growing delays, never lock the owner out: after the five, the
/// right password must get in once the delay it is told (Retry-After) has passed. From one machine the attacker and
/// the owner share a client address; that someone guessing from elsewhere does not delay the owner at all is proved
/// by the HTTP regression tests (LoginThrottleContract), which can tell clients apart.
/// </summary>
public sealed class OwnerLockout : IAttack
{
    /// <summary>A delay longer than this is a lock-out.</summary>
    private static readonly TimeSpan LongestFairWait = TimeSpan.FromSeconds(30);

    public string Id => "login-lockout-of-the-issuer-admin";

    public string Item => "7";

    public string Description => "type five wrong passwords for the issuer admin, then see whether the right one still gets in";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var email = target.IssuerAdmin.Email;
        for (var i = 0; i < 5; i++)
        {
            var wrong = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email, password = $"tebakan-salah-{i}" }, null, null, ct);
            if (wrong.Status == HttpStatusCode.TooManyRequests && Wait(wrong) > LongestFairWait) return AttackOutcome.Breached($"wrong password {i + 1} locked the account: {wrong}, Retry-After {Wait(wrong)}");
        }

        var waited = TimeSpan.Zero;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var right = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email, password = target.IssuerAdmin.Password }, null, null, ct);
            if (right.Status == HttpStatusCode.OK) return AttackOutcome.Held($"the right password got in after waiting {waited.TotalSeconds:0} s");
            if (right.Status != HttpStatusCode.TooManyRequests) return AttackOutcome.Breached($"the right password was refused: {right}");
            var wait = Wait(right);
            if (wait > LongestFairWait) return AttackOutcome.Breached($"the right password must wait {wait}: a lock-out");
            await Task.Delay(wait, ct);
            waited += wait;
        }

        return AttackOutcome.Breached($"the right password was still refused after waiting {waited.TotalSeconds:0} s as told");
    }

    private static TimeSpan Wait(HttpAnswer answer) =>
        answer.Headers.TryGetValue("Retry-After", out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.MaxValue;
}
