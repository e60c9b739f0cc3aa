using System.Net;

namespace Meterai.Cli.Attacks.Identity;

/// <summary>
/// Issue 10, item 3: a stranger registers an address that is still pending with a password of their own, and the
/// owner then types the code sent for *their* registration. That code must activate the owner's password, never the
/// stranger's.
/// </summary>
public sealed class PendingRegistrationTakeover : IAttack
{
    private const string OwnerPassword = "kata-sandi-pemilik-1";
    private const string StrangerPassword = "kata-sandi-orang-asing-1";

    public string Id => "pending-registration-password-swap";

    public string Item => "3";

    public string Description => "re-register a pending address with my password, then let the owner's own code activate it";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        if (target.Codes is null) throw new AttackSkipped("no access to the server's one-time codes (--codes-file)");
        var contact = $"korban.{Guid.NewGuid():N}@contoh.id";
        var owner = (await target.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = OwnerPassword }, null, null, ct))
            .Require(HttpStatusCode.Accepted, "the owner's registration");
        var ownerCode = await target.Codes.LatestCodeAsync(contact, ct) ?? throw new AttackSetupFailed($"no code was sent to {contact}");

        var stranger = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = StrangerPassword }, null, null, ct);
        var confirmed = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = owner.GetProperty("challenge_id").GetString(), code = ownerCode }, null, null, ct);
        if (confirmed.Status != HttpStatusCode.OK) return AttackOutcome.Breached($"the owner's own code no longer confirms the owner's registration: {confirmed} (the stranger's answered {stranger})");

        var asStranger = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = StrangerPassword }, null, null, ct);
        if (asStranger.Status == HttpStatusCode.Accepted) return AttackOutcome.Breached("the owner's code activated the stranger's password: it logs in");
        var asOwner = await target.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = OwnerPassword }, null, null, ct);
        return asOwner.Status == HttpStatusCode.Accepted
            ? AttackOutcome.Held($"the stranger's password is refused ({asStranger}); the owner's logs in")
            : AttackOutcome.Breached($"the owner's password no longer logs in: {asOwner}");
    }
}
