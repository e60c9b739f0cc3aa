namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Issue 10 item 4: the amplifier posted twelve times at once (four in parallel took a node to 2.1 GB). Held when
/// every answer is bounded — a capped answer, work_limit_exceeded, or 503 verification_busy / 429 with Retry-After —
/// and the node still answers its health check afterwards.
/// </summary>
public sealed class ParallelFlood : IAttack
{
    private const int Parallel = 12;

    public string Id => "verify-bounds-parallel-flood";

    public string Item => "4";

    public string Description => $"post the verification amplifier {Parallel} times in parallel";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        using var http = VerifyClient.NewClient(target);
        var pdf = VerifyClient.Amplifier.Value;
        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => VerifyClient.VerifyAsync(http, pdf, ct)));
        var unbounded = answers.Select(VerifyClient.Unbounded).OfType<string>().ToList();
        if (unbounded.Count > 0) return AttackOutcome.Breached($"{unbounded.Count} of {Parallel} answers were unbounded: {unbounded[0]}");

        var health = await target.SendJsonAsync(HttpMethod.Get, "/health", null, null, null, ct);
        if (health.Code != 200) return AttackOutcome.Breached($"the node answered its health check with {health} after the flood");
        var tally = string.Join(", ", answers.GroupBy(a => a.ProblemCode is { } code ? $"{a.Code} {code}" : a.Code.ToString()).Select(g => $"{g.Count()} × {g.Key}"));
        return AttackOutcome.Held($"every answer bounded ({tally}); health 200 afterwards");
    }
}
