using Meterai.TestSupport;
using System.Text.Json;
using Meterai.Core.Identity;

namespace Meterai.Server.Tests.Support;

/// <summary>A channel with quota and an applicant of it, built through the API the way an issuer admin and a channel would.</summary>
public sealed record World(string Admin, string ChannelId, string ChannelToken, string ApplicantId, long PricePerStamp)
{
    /// <summary>
    /// Mints <paramref name="mint"/>, creates a channel (fee Rp2.000), records a deposit covering
    /// <paramref name="allocate"/> stamps, allocates them, creates one applicant and sells it <paramref name="sell"/>.
    /// </summary>
    public static async Task<World> CreateAsync(TestService service, long mint = 100, long allocate = 10, long sell = 3, string? admin = null) =>
        await CreateAsync((ApiClient)service, admin ?? await service.OperatorTokenAsync(OperatorRole.IssuerAdmin), mint, allocate, sell);

    public static async Task<World> CreateAsync(ApiClient service, string admin, long mint = 100, long allocate = 10, long sell = 3)
    {
        await service.PostJsonAsync("/api/v1/issuer/mint", new { stamps = mint }, admin, Guid.NewGuid().ToString());
        var channel = await service.PostJsonAsync("/api/v1/channels", new { code = "loket-" + Guid.NewGuid().ToString("N")[..10], name = "Loket Meterai Jaya", service_fee = 2000 }, admin);
        var channelId = channel.GetProperty("id").GetString()!;
        var price = channel.GetProperty("price_per_stamp").GetInt64();
        await service.PostJsonAsync($"/api/v1/channels/{channelId}/deposits", new { amount = allocate * price, reference = "TRF-" + Guid.NewGuid().ToString("N")[..8] },
            admin, Guid.NewGuid().ToString());
        await service.PostJsonAsync($"/api/v1/channels/{channelId}/allocations", new { stamps = allocate }, admin, Guid.NewGuid().ToString());
        var key = await service.PostJsonAsync($"/api/v1/channels/{channelId}/api-keys", new { name = "test" }, admin);
        var token = (await service.PostJsonAsync("/api/v1/auth/channel/token", new { api_key = key.GetProperty("key").GetString() })).GetProperty("access_token").GetString()!;
        var applicant = await service.PostJsonAsync("/api/v1/channel/applicants", new { external_ref = "pelanggan-" + Guid.NewGuid().ToString("N")[..8] }, token);
        var applicantId = applicant.GetProperty("id").GetString()!;
        if (sell > 0) await service.PostJsonAsync($"/api/v1/channel/applicants/{applicantId}/quota", new { stamps = sell }, token, Guid.NewGuid().ToString());
        return new World(admin, channelId, token, applicantId, price);
    }

    public Dictionary<string, string> Fields(params (string Key, string? Value)[] changes) =>
        StampClient.Fields([("applicant_id", ApplicantId), .. changes]);

    public async Task<JsonElement> QuotaAsync(ApiClient service) =>
        (await service.GetJsonAsync($"/api/v1/channel/applicants/{ApplicantId}", ChannelToken)).GetProperty("quota");
}
