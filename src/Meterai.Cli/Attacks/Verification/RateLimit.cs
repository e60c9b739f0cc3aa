namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Issue 10 item 4: one client verifying as fast as it can. Held when it is answered 429 verification_rate_limited
/// with Retry-After within a few hundred requests, and (where the runner can speak as another client: a server on
/// loopback) another client is still served at that moment.
/// </summary>
public sealed class RateLimit : IAttack
{
    private const int MaxRequests = 300;

    public string Id => "verify-bounds-rate-limit";

    public string Item => "4";

    public string Description => $"verify a small stamped file over and over as one client (up to {MaxRequests} times)";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        using var http = VerifyClient.NewClient(target);
        var pdf = VerifyClient.Stamped.Value;
        for (var sent = 1; sent <= MaxRequests; sent++)
        {
            var answer = await VerifyClient.VerifyAsync(http, pdf, ct);
            if (answer.Code == 200 || answer.Code == 503) continue;
            if (answer.Code != 429) return AttackOutcome.Breached($"request {sent} answered {answer}");
            if (answer.ProblemCode != "verification_rate_limited" || !answer.Headers.TryGetValue("Retry-After", out var after))
            {
                return AttackOutcome.Breached($"429 without its code or Retry-After: {answer}");
            }

            if (!VerifyClient.OwnAddresses(target)) return AttackOutcome.Held($"request {sent} was refused: 429 verification_rate_limited, Retry-After {after} s");
            using var other = VerifyClient.NewClient(target);
            var served = await VerifyClient.VerifyAsync(other, pdf, ct);
            return served.Code == 200
                ? AttackOutcome.Held($"request {sent} was refused: 429 verification_rate_limited, Retry-After {after} s; another client was served")
                : AttackOutcome.Breached($"one client's limit refused another: {served}");
        }

        return AttackOutcome.Breached($"{MaxRequests} verifications in a row from one client, none refused");
    }
}
