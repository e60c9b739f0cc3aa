using System.Net;
using System.Text.RegularExpressions;
using Meterai.Bench;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// Open a stamp's QR-code page (/v/{serial}) as the holder of an altered copy would: the page has seen no file, so if
/// it says "SAH" / "valid" the altered copy borrows that verdict. It must show only what the registry holds and offer
/// to check the file itself.
/// </summary>
public sealed partial class VerifyPageClaimsValidity : IAttack
{
    public string Id => "verify-page-claims-validity";

    public string Item => "1";

    public string Description => "read /v/{serial} of a stamped document and look for a validity claim about a file the page has not seen";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        var (_, serial) = await VerificationAttackKit.StampAsync(target, SamplePdf.Create(), ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/V/{serial}");
        var page = await target.SendAsync(request, null, null, ct);
        if (page.Status != HttpStatusCode.OK) return AttackOutcome.Breached($"the page of a stamped serial answered {page.Code}");
        var claim = ValidityClaim().Match(page.Text);
        var offersCheck = page.Text.Contains($"action=\"/v/{serial}\"", StringComparison.Ordinal) && page.Text.Contains("multipart/form-data", StringComparison.Ordinal);
        if (claim.Success) return AttackOutcome.Breached($"the page says \"{claim.Value}\" without having seen a file");
        return offersCheck ? AttackOutcome.Held("the page shows the registry's record and a form to check a file") : AttackOutcome.Breached("the page offers no way to check a file");
    }

    [GeneratedRegex(@"\bSAH\b|\bvalid\b", RegexOptions.IgnoreCase)]
    private static partial Regex ValidityClaim();
}
