using System.Net.Http.Headers;
using Meterai.Core.Identity;
using Meterai.Core.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>Who may stamp for whom and read what, through the real HTTP stack, on SQLite and PostgreSQL.</summary>
public abstract class StampAccessContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_applicant_sees_only_their_own_stamps_and_files_and_an_auditor_reads_everything_but_stamps_nothing()
    {
        await using var service = await TestService.StartAsync(backend);
        var admin = await service.OperatorTokenAsync(OperatorRole.IssuerAdmin);
        var auditor = await service.OperatorTokenAsync(OperatorRole.Auditor);
        await service.PostJsonAsync("/api/v1/issuer/mint", new { stamps = 10 }, admin, Guid.NewGuid().ToString());
        var (a, aId) = await service.ApplicantAsync();
        var (b, bId) = await service.ApplicantAsync();
        await service.PostJsonAsync($"/api/v1/applicants/{aId}/quota", new { stamps = 1 }, admin, Guid.NewGuid().ToString());
        await service.PostJsonAsync($"/api/v1/applicants/{bId}/quota", new { stamps = 1 }, admin, Guid.NewGuid().ToString());

        using var stamped = await StampClient.StampAsync(service.Http, a, "a-1", TestPdf.Create(), StampClient.Fields());
        Assert.True(stamped.IsSuccessStatusCode, await stamped.Content.ReadAsStringAsync(Ct));
        var id = stamped.Headers.GetValues("Meterai-Stamp-Id").Single();

        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/stamps/{id}", b), 404, StampErrors.NotFound);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/stamps/{id}/file", b), 404, StampErrors.NotFound);
        Assert.Empty((await service.GetJsonAsync("/api/v1/stamps", b)).EnumerateArray());
        // B cannot stamp on A's quota by naming A.
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, b, "b-1", TestPdf.Create(), StampClient.Fields(("applicant_id", aId))), 404,
            IdentityErrors.ApplicantNotFound);

        Assert.Equal(id, (await service.GetJsonAsync($"/api/v1/stamps/{id}", a)).GetProperty("id").GetString());
        Assert.Equal(id, (await service.GetJsonAsync($"/api/v1/stamps/{id}", auditor)).GetProperty("id").GetString());
        using (var file = await GetAsync(service, $"/api/v1/stamps/{id}/file", auditor))
        {
            Assert.True(file.IsSuccessStatusCode);
        }

        Assert.Contains((await service.GetJsonAsync("/api/v1/stamps?limit=200", auditor)).EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, auditor, "x", TestPdf.Create(), StampClient.Fields(("applicant_id", aId))), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, admin, "x", TestPdf.Create(), StampClient.Fields(("applicant_id", aId))), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await GetAsync(service, "/api/v1/quota", auditor), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, null!, "x", TestPdf.Create(), StampClient.Fields()), 401, IdentityErrors.TokenMissing);
        Assert.Equal(1L, (await service.GetJsonAsync("/api/v1/quota", b)).GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task A_channel_cannot_spend_or_read_another_channels_applicants_quota_or_stamps()
    {
        await using var service = await TestService.StartAsync(backend);
        var one = await World.CreateAsync(service, sell: 2);
        var two = await World.CreateAsync(service, sell: 2, admin: one.Admin);

        using var ok = await StampClient.StampAsync(service.Http, one.ChannelToken, "one-1", TestPdf.Create(), one.Fields());
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync(Ct));
        var id = ok.Headers.GetValues("Meterai-Stamp-Id").Single();

        // Channel two names channel one's applicant: as unknown as a made-up id; nothing is charged anywhere.
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, two.ChannelToken, "two-1", TestPdf.Create(), one.Fields()), 404, IdentityErrors.ApplicantNotFound);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, $"/api/v1/channel/applicants/{one.ApplicantId}/quota", new { stamps = 1 }, two.ChannelToken, "sale-x"),
            404, IdentityErrors.ApplicantNotFound);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/channel/applicants/{one.ApplicantId}", two.ChannelToken), 404, IdentityErrors.ApplicantNotFound);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/stamps/{id}", two.ChannelToken), 404, StampErrors.NotFound);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/stamps/{id}/file", two.ChannelToken), 404, StampErrors.NotFound);
        Assert.DoesNotContain((await service.GetJsonAsync("/api/v1/stamps", two.ChannelToken)).EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        Assert.DoesNotContain((await service.GetJsonAsync("/api/v1/channel/applicants", two.ChannelToken)).EnumerateArray(),
            a => a.GetProperty("id").GetString() == one.ApplicantId);

        Assert.Equal(1L, (await one.QuotaAsync(service)).GetProperty("available").GetInt64());
        Assert.Equal(2L, (await two.QuotaAsync(service)).GetProperty("available").GetInt64());
        var deposit = (await service.GetJsonAsync("/api/v1/channel", two.ChannelToken)).GetProperty("funds").GetProperty("stamps");
        Assert.Equal(8L, deposit.GetProperty("available").GetInt64());

        // A channel stamping needs to say for whom.
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, one.ChannelToken, "one-2", TestPdf.Create(), StampClient.Fields()), 400, "field_missing");
    }

    private static async Task<HttpResponseMessage> GetAsync(TestService service, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.Http.SendAsync(request, Ct);
    }
}

public sealed class SqliteStampAccessTests(SqliteBackend backend) : StampAccessContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampAccessTests(PostgresBackend backend) : StampAccessContract(backend), IClassFixture<PostgresBackend>;
