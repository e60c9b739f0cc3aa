using System.Net;
using System.Security.Cryptography;

namespace Meterai.Cli.Attacks.Identity;

/// <summary>
/// Issue 10, item 3: each challenge allows five guesses at a six-digit code, so an attacker who may ask for
/// challenge after challenge for one address gets as many guesses as they like (a million in about 200,000
/// challenges). New challenges for one address must be refused with 429 and Retry-After long before that.
/// </summary>
public sealed class CodeGuessingAcrossChallenges : IAttack
{
    private const int Challenges = 40;

    public string Id => "registration-code-guessing-across-challenges";

    public string Item => "3";

    public string Description => $"ask for up to {Challenges} registration codes for one address, guessing five codes against each";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var contact = $"sasaran.{Guid.NewGuid():N}@contoh.id";
        for (var n = 1; n <= Challenges; n++)
        {
            var sent = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = "kata-sandi-penebak-1" }, null, null, ct);
            if (sent.Status == HttpStatusCode.TooManyRequests)
            {
                return sent.Headers.ContainsKey("Retry-After")
                    ? AttackOutcome.Held($"challenge {n} refused: {sent}, Retry-After {sent.Headers["Retry-After"]} s")
                    : AttackOutcome.Breached($"challenge {n} refused with 429 but no Retry-After");
            }

            if (sent.Status != HttpStatusCode.Accepted) return AttackOutcome.Breached($"challenge {n} answered {sent}");
            var challenge = sent.Json.GetProperty("challenge_id").GetString();
            for (var guess = 0; guess < 5; guess++)
            {
                var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
                var tried = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code", new { challenge_id = challenge, code }, null, null, ct);
                if (tried.Status == HttpStatusCode.OK) return AttackOutcome.Breached($"guessed the code of challenge {n}");
            }
        }

        return AttackOutcome.Breached($"{Challenges} challenges ({Challenges * 5} guesses) for one address, none refused");
    }
}
