using System.Net;

namespace Meterai.Cli.Attacks.Identity;

/// <summary>
/// Issue 10, item 10a: registering an address answered 409 when it had an account and 202 when it did not, so anyone
/// could learn who has one. Both must answer alike (status and shape) and name no account.
/// </summary>
public sealed class RegistrationRevealsAccount : IAttack
{
    public string Id => "registration-tells-whether-an-address-exists";

    public string Item => "10a";

    public string Description => "register an address that has an account and one that has none, and compare the answers";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var existing = await target.NewApplicantAsync(ct);
        var taken = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = existing.Contact, password = "kata-sandi-pengintip-1" }, null, null, ct);
        var fresh = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = $"baru.{Guid.NewGuid():N}@contoh.id", password = "kata-sandi-pengintip-1" }, null, null, ct);
        if (taken.Status != fresh.Status) return AttackOutcome.Breached($"a taken address answers {taken}, a new one {fresh.Code}");
        if (taken.Status != HttpStatusCode.Accepted) return AttackOutcome.Breached($"registration answered {taken}");
        var takenShape = Shape(taken);
        var freshShape = Shape(fresh);
        if (takenShape != freshShape) return AttackOutcome.Breached($"the answers differ in shape: {{{takenShape}}} against {{{freshShape}}}");
        if (taken.Text.Contains(existing.Id, StringComparison.OrdinalIgnoreCase)) return AttackOutcome.Breached("the answer for a taken address names its account");
        return AttackOutcome.Held($"both answer {taken.Code} with {{{takenShape}}}");
    }

    private static string Shape(HttpAnswer answer) =>
        string.Join(",", answer.Json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) + "; purpose " + answer.Json.GetProperty("purpose").GetString();
}
