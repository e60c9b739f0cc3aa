using System.Net;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// Issue 10, item 10b: answers carried no nosniff, no-store (tokens, files), CSP or frame-ancestors (pages), nor a
/// Referrer-Policy: a token could sit in a shared cache, the verification page be framed. Held when a token answer, a
/// public answer, a problem and the verification page all carry them.
/// </summary>
public sealed class MissingSecurityHeaders : IAttack
{
    public string Id => "missing-security-headers";

    public string Item => "10b";

    public string Description => "look for answers a browser may sniff, cache, frame or leak the address of";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var token = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email = target.IssuerAdmin.Email, password = target.IssuerAdmin.Password }, null, null, ct);
        var answers = new List<(string What, HttpAnswer Answer)>
        {
            ("a token answer", token),
            ("/health", await target.SendJsonAsync(HttpMethod.Get, "/health", null, null, null, ct)),
            ("a 404 problem", await target.SendJsonAsync(HttpMethod.Get, "/api/v1/nothing-here", null, null, null, ct)),
            ("the verification page", await target.SendJsonAsync(HttpMethod.Get, "/v/AAAAAAAAAAAAAAAAAAAAAA", null, null, null, ct)),
        };
        var missing = new List<string>();
        foreach (var (what, answer) in answers)
        {
            if (Header(answer, "X-Content-Type-Options") != "nosniff") missing.Add($"{what}: no nosniff");
            if (Header(answer, "Referrer-Policy") is not ("no-referrer" or "strict-origin" or "same-origin" or "strict-origin-when-cross-origin")) missing.Add($"{what}: no Referrer-Policy");
            if (Header(answer, "Cache-Control")?.Contains("no-store", StringComparison.Ordinal) != true) missing.Add($"{what}: not no-store");
        }

        var page = answers[^1].Answer;
        if (Header(page, "Content-Security-Policy")?.Contains("frame-ancestors 'none'", StringComparison.Ordinal) != true) missing.Add("the verification page: no CSP frame-ancestors 'none'");
        return missing.Count == 0
            ? AttackOutcome.Held($"{answers.Count} answers carry nosniff, Referrer-Policy, no-store; the page a CSP with frame-ancestors 'none'")
            : AttackOutcome.Breached(string.Join("; ", missing));
    }

    private static string? Header(HttpAnswer answer, string name) => answer.Headers.TryGetValue(name, out var value) ? value : null;
}
