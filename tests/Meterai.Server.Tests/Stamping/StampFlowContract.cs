using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>mint → allocate → sell → stamp → verify, through the real HTTP stack, on SQLite and PostgreSQL.</summary>
public abstract class StampFlowContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mint_allocate_sell_stamp_verify_and_every_balance_comes_from_the_ledger()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, mint: 100, allocate: 10, sell: 3);

        // Allocations stop at what the deposits cover (10 × Rp12.000 paid, 10 allocated).
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, $"/api/v1/channels/{world.ChannelId}/allocations", new { stamps = 1 }, world.Admin,
            Guid.NewGuid().ToString()), 409, DistributionErrors.DepositInsufficient);
        var funds = await service.GetJsonAsync($"/api/v1/channels/{world.ChannelId}/funds", world.Admin);
        Assert.Equal((120_000L, 120_000L, 7L), (funds.GetProperty("deposited").GetInt64(), funds.GetProperty("allocated").GetInt64(),
            funds.GetProperty("stamps").GetProperty("available").GetInt64()));

        // The database is shared with this class's other tests: the issuer's totals are compared before and after.
        var issuerBefore = await service.GetJsonAsync("/api/v1/issuer", world.Admin);
        var pdf = TestPdf.Create(pages: 2);
        var key = Guid.NewGuid().ToString();
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, key, pdf, world.Fields());
        var output = await stamped.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(stamped.StatusCode == HttpStatusCode.Created, System.Text.Encoding.UTF8.GetString(output) + "\n" + service.Logs);
        Assert.Equal("application/pdf", stamped.Content.Headers.ContentType?.MediaType);
        var serial = stamped.Headers.GetValues("Meterai-Serial").Single();
        var stampId = stamped.Headers.GetValues("Meterai-Stamp-Id").Single();
        Assert.Equal($"/api/v1/stamps/{stampId}", stamped.Headers.Location?.OriginalString);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output)), stamped.Headers.GetValues("Meterai-Document-Sha256").Single());
        Assert.True(output.AsSpan(0, pdf.Length).SequenceEqual(pdf), "the upload must be a byte prefix of the stamped PDF");

        // Balances, all from the ledger: the applicant spent one, the issuer counts one consumed, nothing is held.
        var quota = await world.QuotaAsync(service);
        Assert.Equal((2L, 0L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        var issuer = await service.GetJsonAsync("/api/v1/issuer", world.Admin);
        Assert.Equal(issuerBefore.GetProperty("consumed").GetInt64() + 1, issuer.GetProperty("consumed").GetInt64());
        Assert.Equal(issuerBefore.GetProperty("reserved").GetInt64(), issuer.GetProperty("reserved").GetInt64());

        // The same request again (a client that timed out) gets the same document; nothing more is spent.
        using (var again = await StampClient.StampAsync(service.Http, world.ChannelToken, key, pdf, world.Fields()))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("true", again.Headers.GetValues("Meterai-Replayed").Single());
            Assert.Equal(output, await again.Content.ReadAsByteArrayAsync(Ct));
        }

        Assert.Equal(2L, (await world.QuotaAsync(service)).GetProperty("available").GetInt64());
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, world.ChannelToken, key, pdf, world.Fields(("page", "2"))), 422, "idempotency_key_reused");

        // The registry binds the serial to the document; the page and the JSON say so, without personal data.
        var entry = await service.GetJsonAsync($"/api/v1/serials/{serial}");
        Assert.Equal(("stamped", true, Convert.ToHexStringLower(SHA256.HashData(output)), 10_000L),
            (entry.GetProperty("state").GetString(), entry.GetProperty("valid").GetBoolean(), entry.GetProperty("document_sha256").GetString(), entry.GetProperty("nominal").GetInt64()));
        Assert.Equal("Loket Meterai Jaya", entry.GetProperty("channel_name").GetString());
        var page = await service.Http.GetStringAsync($"/V/{serial.ToLowerInvariant()}", Ct);
        Assert.Contains("Nomor seri terdaftar", page, StringComparison.Ordinal); // what the registry holds, not a verdict on a file it has not seen
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(output)), page, StringComparison.Ordinal);
        Assert.DoesNotContain("pelanggan-", page, StringComparison.Ordinal);

        // Download, and the stamp's record.
        var stamp = await service.GetJsonAsync($"/api/v1/stamps/{stampId}", world.ChannelToken);
        Assert.Equal(("completed", serial, "surat_pernyataan"), (stamp.GetProperty("state").GetString(), stamp.GetProperty("serial").GetString(),
            stamp.GetProperty("document").GetProperty("type").GetString()));
        using (var file = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stamps/{stampId}/file"))
        {
            file.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", world.ChannelToken);
            using var downloaded = await service.Http.SendAsync(file, Ct);
            Assert.Equal(output, await downloaded.Content.ReadAsByteArrayAsync(Ct));
        }

        // pdfsig accepts it; our verifier finds the e-Meterai, the issuer and the registry agree.
        ExternalTool.Require("pdfsig");
        var path = Path.Combine(Path.GetTempPath(), $"meterai-stamped-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, output, Ct);
        try
        {
            var pdfsig = ExternalTool.Run("pdfsig", [path]);
            Assert.Contains("Signature Validation: Signature is Valid", pdfsig.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        var verified = await VerifyAsync(service, output);
        var sig = verified.GetProperty("signatures").EnumerateArray().Single();
        Assert.True(sig.GetProperty("valid").GetBoolean());
        Assert.True(sig.GetProperty("issuer_signed").GetBoolean());
        Assert.Equal((true, serial, "none"), (sig.GetProperty("is_e_meterai").GetBoolean(), sig.GetProperty("serial").GetString(), sig.GetProperty("changes_after").GetString()));
        Assert.True(sig.GetProperty("registry").GetProperty("matches").GetBoolean());
        Assert.True(verified.GetProperty("all_e_meterai_registered").GetBoolean());
        Assert.False(verified.GetProperty("changed_after_e_meterai").GetBoolean());

        // Someone edits page 1 after stamping: the verification says so.
        var altered = await VerifyAsync(service, TestPdf.AppendContentChange(output));
        var alteredSig = altered.GetProperty("signatures").EnumerateArray().Single();
        Assert.Equal("changed", alteredSig.GetProperty("changes_after").GetString());
        Assert.True(altered.GetProperty("changed_after_e_meterai").GetBoolean());
        Assert.True(alteredSig.GetProperty("valid").GetBoolean()); // the signed revision itself is intact
        Assert.False(alteredSig.GetProperty("covers_whole_file").GetBoolean());

        var audit = await service.Database.AuditAsync(Ct);
        Assert.True(audit.AllHold, string.Join("; ", audit.Broken));
    }

    [Fact]
    public async Task An_applicant_stamps_with_quota_sold_directly_and_a_second_node_answers_the_same_request_with_the_same_serial()
    {
        await using var a = await TestService.StartAsync(backend);
        await using var b = await TestService.StartAsync(backend, a.DataDirectory);
        var admin = await a.OperatorTokenAsync(OperatorRole.IssuerAdmin);
        await a.PostJsonAsync("/api/v1/issuer/mint", new { stamps = 5 }, admin, Guid.NewGuid().ToString());
        var (token, applicantId) = await a.ApplicantAsync();
        var sale = await a.PostJsonAsync($"/api/v1/applicants/{applicantId}/quota", new { stamps = 2 }, admin, "sale-1");
        // A retried sale answers the same transfer and moves nothing more.
        var replay = await a.PostJsonAsync($"/api/v1/applicants/{applicantId}/quota", new { stamps = 2 }, admin, "sale-1");
        Assert.Equal((sale.GetProperty("transfer_id").GetString(), true, 2L), (replay.GetProperty("transfer_id").GetString(), replay.GetProperty("replayed").GetBoolean(),
            replay.GetProperty("balance").GetProperty("available").GetInt64()));

        // The same stamp request sent to two nodes at once: one stamps, the other waits for it; one serial, one stamp spent.
        var pdf = TestPdf.Create(pages: 1, text: "Surat Lamaran CPNS");
        var fields = StampClient.Fields(("document_type", "surat_lamaran_cpns"), ("rect", null));
        var responses = await Task.WhenAll(StampClient.StampAsync(a.Http, token, "lamaran-1", pdf, fields), StampClient.StampAsync(b.Http, token, "lamaran-1", pdf, fields));
        foreach (var r in responses) Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync(Ct)}");
        Assert.Single(responses.Select(r => r.Headers.GetValues("Meterai-Serial").Single()).Distinct());
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(bodies[0], bodies[1]);
        var quota = await a.GetJsonAsync("/api/v1/quota", token);
        Assert.Equal((1L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("used").GetInt64()));
        var listed = await b.GetJsonAsync("/api/v1/stamps", token);
        Assert.Single(listed.EnumerateArray());
    }

    [Fact]
    public async Task A_large_file_becomes_a_job_to_poll_and_download_and_a_stamped_file_is_purged_after_its_window()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:AsyncThresholdBytes=20000", "Stamping:JobPollSeconds=0.1",
            "Stamping:FileRetentionHours=0.0005", "Stamping:PurgeIntervalSeconds=0.2");
        var world = await World.CreateAsync(service, sell: 2);
        var big = TestPdf.Create(pages: 3, padding: 40_000);
        using var accepted = await StampClient.StampAsync(service.Http, world.ChannelToken, "job-1", big, world.Fields());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.True(job.GetProperty("job").GetBoolean());
        var id = job.GetProperty("id").GetString()!;
        // The quota is held from the moment the job is accepted (and spent once it ran: the worker may already be done).
        var held = await world.QuotaAsync(service);
        Assert.Equal((1L, 1L), (held.GetProperty("available").GetInt64(), held.GetProperty("reserved").GetInt64() + held.GetProperty("used").GetInt64()));

        var stamp = await PollAsync(service, id, world.ChannelToken, "completed");
        Assert.Equal(world.ApplicantId, stamp.GetProperty("applicant_id").GetString());
        Assert.Equal((1L, 0L), ((await world.QuotaAsync(service)).GetProperty("available").GetInt64(), (await world.QuotaAsync(service)).GetProperty("reserved").GetInt64()));

        // Purged after its (here 1.8 s) window; the registry keeps the binding.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stamps/{id}/file");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", world.ChannelToken);
            using var file = await service.Http.SendAsync(request, Ct);
            if (file.StatusCode == HttpStatusCode.Gone)
            {
                await ProblemAssert.IsAsync(file, 410, StampErrors.FilePurged);
                break;
            }

            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "the stamped file was never purged");
            await Task.Delay(200, Ct);
        }

        var entry = await service.GetJsonAsync($"/api/v1/serials/{stamp.GetProperty("serial").GetString()}");
        Assert.Equal(stamp.GetProperty("output_sha256").GetString(), entry.GetProperty("document_sha256").GetString());
        // The worker deletes the file inside the transaction that records the purge (so a crash between them leaves
        // the record to purge again, never an orphan file): the record may say so a moment after the file is gone.
        while ((await service.GetJsonAsync($"/api/v1/stamps/{id}", world.ChannelToken)).GetProperty("file_available").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, "the stamp record never said its file was purged");
            await Task.Delay(50, Ct);
        }
    }

    internal static async Task<JsonElement> PollAsync(ApiClient service, string id, string token, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var stamp = await service.GetJsonAsync($"/api/v1/stamps/{id}", token);
            if (stamp.GetProperty("state").GetString() == state) return stamp;
            Assert.True(DateTime.UtcNow < deadline, $"stamp {id} never became {state}: {stamp}");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<JsonElement> VerifyAsync(TestService service, byte[] pdf)
    {
        using var response = await StampClient.VerifyAsync(service.Http, pdf);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed class SqliteStampFlowTests(SqliteBackend backend) : StampFlowContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampFlowTests(PostgresBackend backend) : StampFlowContract(backend), IClassFixture<PostgresBackend>;
