using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>What the verification attacks share: a document stamped by the live server, and its verification.</summary>
internal static class VerificationAttackKit
{
    /// <summary>Stamps <paramref name="pdf"/> as a fresh applicant with one stamp of quota; the output and its serial.</summary>
    public static async Task<(byte[] Pdf, string Serial)> StampAsync(AttackTarget target, byte[] pdf, CancellationToken ct)
    {
        var applicant = await target.NewApplicantAsync(ct);
        await target.GiveQuotaAsync(applicant.Id, 1, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stamps") { Content = Form(pdf, ("page", "1"), ("rect", "400,60,540,150"),
            ("document_type", "surat_pernyataan"), ("document_number", "SP-ATK/2025"), ("document_date", "2025-01-15")) };
        var answer = await target.SendAsync(request, applicant.Token, Guid.NewGuid().ToString("N"), ct);
        if (answer.Status != HttpStatusCode.Created) throw new AttackSetupFailed($"set-up step 'stamp' answered {answer}");
        return (answer.Body, answer.Headers["Meterai-Serial"]);
    }

    /// <summary>POST /api/v1/verify; the JSON answer (or null when it is not 200, with the answer).</summary>
    public static async Task<(JsonElement? Json, HttpAnswer Answer)> VerifyAsync(AttackTarget target, byte[] pdf, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = Form(pdf) };
        var answer = await target.SendAsync(request, null, null, ct);
        return (answer.Status == HttpStatusCode.OK ? answer.Json : null, answer);
    }

    /// <summary>The verdict on e-Meterai <paramref name="serial"/>: held when it says changed, breached when anything else.</summary>
    public static async Task<AttackOutcome> ExpectChangedAsync(AttackTarget target, byte[] altered, string serial, CancellationToken ct)
    {
        var (json, answer) = await VerifyAsync(target, altered, ct);
        if (json is not { } report) return AttackOutcome.Held($"the altered file was refused: {answer}");
        var stamp = report.GetProperty("signatures").EnumerateArray().FirstOrDefault(s => s.GetProperty("serial").GetString() == serial);
        if (stamp.ValueKind != JsonValueKind.Object) return AttackOutcome.Held("the verifier reports no e-Meterai in the altered file");
        var changes = stamp.GetProperty("changes_after").GetString();
        var evidence = $"changes_after={changes}, all_valid={report.GetProperty("all_valid")}, changed_after_e_meterai={report.GetProperty("changed_after_e_meterai")}";
        return changes == "changed" && report.GetProperty("changed_after_e_meterai").GetBoolean()
            ? AttackOutcome.Held(evidence)
            : AttackOutcome.Breached($"an altered stamped file verified as not changed: {evidence}");
    }

    public static MultipartFormDataContent Form(byte[] pdf, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "surat.pdf");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }
}
