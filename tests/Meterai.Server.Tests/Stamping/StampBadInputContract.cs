using Meterai.Pdf.Appearance;
using System.Net.Http.Headers;
using System.Text;
using Meterai.Core.Common;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Pdf;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>Every kind of bad stamping input gets its own 4xx code, and none of them charges or registers anything.</summary>
public abstract class StampBadInputContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_bad_input_has_its_own_code_and_leaves_the_quota_and_the_registry_untouched()
    {
        await using var service = await TestService.StartAsync(backend, null, "Api:MaxUploadBytes=60000", "Stamping:AsyncThresholdBytes=20000");
        var world = await World.CreateAsync(service, sell: 3);
        var pdf = TestPdf.Create();

        async Task Expect(int status, string code, byte[]? file, Dictionary<string, string>? fields = null, string? token = null, string? key = "new", string fileType = "application/pdf")
        {
            var content = StampClient.Form(file, fields ?? world.Fields(), fileType: fileType);
            var response = await StampClient.PostAsync(service.Http, "/api/v1/stamps", content, token ?? world.ChannelToken, key == "new" ? Guid.NewGuid().ToString() : key);
            await ProblemAssert.IsAsync(response, status, code);
        }

        await Expect(415, PdfErrorCodes.NotAPdf, Encoding.UTF8.GetBytes("<html><body>not a pdf</body></html>" + new string(' ', 2000)));
        await Expect(415, PdfErrorCodes.NotAPdf, Encoding.UTF8.GetBytes("short"), fileType: "application/pdf"); // the declared type is not believed
        await Expect(400, "file_empty", []);
        await Expect(400, "file_missing", null);
        await Expect(413, "file_too_large", TestPdf.Create(padding: 70_000));
        await Expect(400, "field_missing", pdf, world.Fields(("document_type", null)));
        await Expect(400, StampErrors.DocumentTypeUnknown, pdf, world.Fields(("document_type", "surat_cinta")));
        await Expect(400, "page_invalid", pdf, world.Fields(("page", "0")));
        await Expect(400, "page_invalid", pdf, world.Fields(("page", "satu")));
        await Expect(400, "rect_invalid", pdf, world.Fields(("rect", "1,2,3")));
        await Expect(400, "rect_invalid", pdf, world.Fields(("rect", "10,10,10,50")));
        await Expect(400, "document_date_invalid", pdf, world.Fields(("document_date", "02/09/2024")));
        await Expect(400, "document_value_invalid", pdf, world.Fields(("document_value", "-5")));
        await Expect(400, "applicant_id_invalid", pdf, world.Fields(("applicant_id", "budi")));
        // A field is read up to 4096 bytes: one of exactly that length reaches the field's own check, one byte more is refused.
        await Expect(400, "document_number_invalid", pdf, world.Fields(("document_number", new string('7', 4096))));
        await Expect(400, "field_too_long", pdf, world.Fields(("document_number", new string('7', 4097))));
        await Expect(404, "applicant_not_found", pdf, world.Fields(("applicant_id", PublicId.Format(424242))));
        await Expect(422, PdfErrorCodes.PageOutOfRange, pdf, world.Fields(("page", "9")));
        await Expect(422, PdfErrorCodes.RectOffPage, pdf, world.Fields(("rect", "2000,2000,2140,2090")));
        await Expect(422, PdfErrorCodes.Truncated, Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog"));
        using (var small = await StampClient.PostAsync(service.Http, "/api/v1/stamps", StampClient.Form(pdf, world.Fields(("rect", "100,100,140,140"))), world.ChannelToken, Guid.NewGuid().ToString()))
        {
            // Below the legible minimum: the answer names the minimum for the shape, and the same request would fail again.
            var problem = await ProblemAssert.IsAsync(small, 422, StampAppearanceErrors.RectTooSmall);
            var minimum = System.Text.RegularExpressions.Regex.Match(problem.GetProperty("detail").GetString()!, @"at least (\d+) × (\d+) pt");
            Assert.True(minimum.Success && minimum.Groups[1].Value == minimum.Groups[2].Value && int.Parse(minimum.Groups[1].Value) is > 40 and <= 54, problem.GetProperty("detail").GetString());
            Assert.False(problem.GetProperty("retryable").GetBoolean());
        }

        await Expect(400, "idempotency_key_missing", pdf, key: null);
        await Expect(400, "idempotency_key_invalid", pdf, key: "has spaces in it");

        using (var json = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stamps") { Content = new StringContent("{\"file\": \"JVBERi0=\"}", Encoding.UTF8, "application/json") })
        {
            json.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.ChannelToken);
            json.Headers.Add("Idempotency-Key", "json-1");
            await ProblemAssert.IsAsync(await service.Http.SendAsync(json, Ct), 415, "unsupported_media_type");
        }

        var forged = world.ChannelToken[..^4] + (world.ChannelToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        await Expect(401, "token_signature_invalid", pdf, token: forged);

        // Nothing of the above was charged, held or registered.
        var quota = await world.QuotaAsync(service);
        Assert.Equal((3L, 0L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        var stamps = (await service.GetJsonAsync("/api/v1/stamps?limit=200", world.ChannelToken)).EnumerateArray().ToList();
        Assert.All(stamps, s => Assert.Equal("failed", s.GetProperty("state").GetString()));
        foreach (var s in stamps) Assert.Null(await service.Database.Serials.GetAsync(SerialNumber.Parse(s.GetProperty("serial").GetString()).Value, Ct));

        // Out of quota: 402, and again nothing held.
        var empty = await World.CreateAsync(service, sell: 0, admin: world.Admin);
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, empty.ChannelToken, "k", pdf, empty.Fields()), 402, StampErrors.QuotaExhausted);
        Assert.Equal(0L, (await empty.QuotaAsync(service)).GetProperty("reserved").GetInt64());
        // A file large enough to be a job is refused at once too, not queued to fail later.
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, empty.ChannelToken, "big", TestPdf.Create(padding: 30_000), empty.Fields()), 402,
            StampErrors.QuotaExhausted);
        Assert.Equal(0L, (await empty.QuotaAsync(service)).GetProperty("reserved").GetInt64());

        // Serials: malformed and unknown.
        var unknown = SerialNumber.New().Value;
        await ProblemAssert.IsAsync(await service.Http.GetAsync($"/api/v1/serials/{unknown}", Ct), 404, SerialRegistryErrors.NotFound);
        var mistyped = unknown[..^1] + (unknown[^1] == '0' ? '1' : '0');
        await ProblemAssert.IsAsync(await service.Http.GetAsync($"/api/v1/serials/{mistyped}", Ct), 400, SerialErrors.InvalidCheckCharacter);
        await ProblemAssert.IsAsync(await service.Http.GetAsync("/api/v1/serials/ABC", Ct), 400, SerialErrors.InvalidLength);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await service.Http.GetAsync($"/v/{unknown}", Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await service.Http.GetAsync("/v/ABC", Ct)).StatusCode);
        // The QR code's upper-case form of the address reaches the same page.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await service.Http.GetAsync($"/V/{unknown}", Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await service.Http.GetAsync("/V/ABC", Ct)).StatusCode);

        // Verification refuses what is not a PDF, and says so of a PDF without signatures.
        await ProblemAssert.IsAsync(await StampClient.VerifyAsync(service.Http, Encoding.UTF8.GetBytes(new string('x', 2000))), 415, PdfErrorCodes.NotAPdf);
        using var unsigned = await StampClient.VerifyAsync(service.Http, pdf);
        var report = System.Text.Json.JsonDocument.Parse(await unsigned.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal((0, false), (report.GetProperty("signatures").GetArrayLength(), report.GetProperty("all_valid").GetBoolean()));

        var audit = await service.Database.AuditAsync(Ct);
        Assert.True(audit.AllHold, string.Join("; ", audit.Broken));
    }
}

public sealed class SqliteStampBadInputTests(SqliteBackend backend) : StampBadInputContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampBadInputTests(PostgresBackend backend) : StampBadInputContract(backend), IClassFixture<PostgresBackend>;
