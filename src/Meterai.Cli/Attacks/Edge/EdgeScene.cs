using System.Net;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>Set-up the edge attacks share: a channel (as the issuer admin would make one) and an applicant of it without quota.</summary>
internal static class EdgeScene
{
    public static async Task<(AttackChannel Channel, string ApplicantId)> ChannelApplicantAsync(AttackTarget target, CancellationToken ct)
    {
        var channel = await target.NewChannelAsync(ct);
        var applicant = (await target.SendJsonAsync(HttpMethod.Post, "/api/v1/channel/applicants", new { external_ref = "serangan-" + Guid.NewGuid().ToString("N")[..10] },
            channel.Token, null, ct)).Require(HttpStatusCode.Created, "channel applicant", HttpStatusCode.OK);
        return (channel, applicant.GetProperty("id").GetString()!);
    }

    /// <summary>A channel with one applicant holding <paramref name="stamps"/> (minted, paid for, allocated and sold as the issuer and the channel would).</summary>
    public static async Task<(AttackChannel Channel, string ApplicantId)> FundedChannelApplicantAsync(AttackTarget target, long stamps, CancellationToken ct)
    {
        var admin = await target.IssuerAdminTokenAsync(ct);
        var (channel, applicantId) = await ChannelApplicantAsync(target, ct);
        (await target.SendJsonAsync(HttpMethod.Post, "/api/v1/issuer/mint", new { stamps }, admin, Key(), ct)).Require(HttpStatusCode.OK, "mint", HttpStatusCode.Created);
        var price = (await target.SendJsonAsync(HttpMethod.Get, $"/api/v1/channels/{channel.Id}", null, admin, null, ct)).Require(HttpStatusCode.OK, "channel")
            .GetProperty("price_per_stamp").GetInt64();
        (await target.SendJsonAsync(HttpMethod.Post, $"/api/v1/channels/{channel.Id}/deposits", new { amount = stamps * price, reference = "TRF-" + Key()[..8] }, admin, Key(), ct))
            .Require(HttpStatusCode.OK, "deposit", HttpStatusCode.Created);
        (await target.SendJsonAsync(HttpMethod.Post, $"/api/v1/channels/{channel.Id}/allocations", new { stamps }, admin, Key(), ct))
            .Require(HttpStatusCode.OK, "allocation", HttpStatusCode.Created);
        (await target.SendJsonAsync(HttpMethod.Post, $"/api/v1/channel/applicants/{applicantId}/quota", new { stamps }, channel.Token, Key(), ct))
            .Require(HttpStatusCode.OK, "sale", HttpStatusCode.Created);
        return (channel, applicantId);
    }

    private static string Key() => Guid.NewGuid().ToString("N");

    /// <summary>A small stamp request (a complete upload) for <paramref name="applicantId"/>, or for the caller itself when null.</summary>
    public static async Task<HttpAnswer> StampAsync(AttackTarget target, string token, string? applicantId, CancellationToken ct, string documentDate = "2024-09-02")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Meterai.Bench.SamplePdf.Create(text: "Surat Serangan"));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "surat.pdf");
        form.Add(new StringContent("surat_pernyataan"), "document_type");
        form.Add(new StringContent(documentDate), "document_date");
        if (applicantId is not null) form.Add(new StringContent(applicantId), "applicant_id");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stamps") { Content = form };
        return await target.SendAsync(request, token, Guid.NewGuid().ToString("N"), ct);
    }
}
