using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Api;

/// <summary>
/// Issue 10, item 10c: numbers were accepted as strings (<c>"stamps":"3"</c>) and a document could be dated
/// 9999-12-31. A JSON number must be a JSON number (400 <c>invalid_json</c> naming the member), a member may not be
/// sent twice, and a stamped document's date lies between 1900-01-01 and tomorrow in WIB (400
/// <c>document_date_invalid</c>); the form's other numbers refuse overflow, NaN and garbage.
/// </summary>
public sealed class StrictInputTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_number_sent_as_a_string_or_a_member_sent_twice_is_refused_naming_the_member_and_nothing_is_written()
    {
        await using var service = await TestService.StartAsync(backend);
        var admin = await service.OperatorTokenAsync("issuer_admin");
        var before = (await service.GetJsonAsync("/api/v1/issuer", admin)).GetRawText();

        var asString = await ProblemAssert.IsAsync(await PostRawAsync(service, "/api/v1/issuer/mint", "{\"stamps\":\"3\"}", admin), 400, "invalid_json");
        Assert.Equal("stamps", asString.GetProperty("field").GetString());
        Assert.Contains("stamps", asString.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var twice = await ProblemAssert.IsAsync(await PostRawAsync(service, "/api/v1/issuer/mint", "{\"stamps\":1,\"stamps\":100000}", admin), 400, "invalid_json");
        Assert.Equal("stamps", twice.GetProperty("field").GetString());

        await ProblemAssert.IsAsync(await PostRawAsync(service, "/api/v1/issuer/mint", "{\"stamps\":3.5}", admin), 400, "invalid_json");
        await ProblemAssert.IsAsync(await PostRawAsync(service, "/api/v1/issuer/mint", "{\"stamps\":1e40}", admin), 400, "invalid_json");
        var fee = await ProblemAssert.IsAsync(await PostRawAsync(service, "/api/v1/channels", "{\"code\":\"loket-str\",\"name\":\"Loket\",\"service_fee\":\"2000\"}", admin),
            400, "invalid_json");
        Assert.Equal("service_fee", fee.GetProperty("field").GetString());
        Assert.Equal(before, (await service.GetJsonAsync("/api/v1/issuer", admin)).GetRawText()); // nothing minted

        using var fine = await PostRawAsync(service, "/api/v1/issuer/mint", "{\"stamps\":3}", admin);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_document_date_outside_1900_to_tomorrow_in_wib_and_garbage_numbers_in_the_form_are_refused()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 2);
        var pdf = TestPdf.Create();
        var todayWib = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).DateTime);

        async Task Refused(string code, string field, string value)
        {
            using var answer = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), pdf, world.Fields((field, value)));
            var problem = await ProblemAssert.IsAsync(answer, 400, code);
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        await Refused("document_date_invalid", "document_date", "9999-12-31");
        await Refused("document_date_invalid", "document_date", todayWib.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Refused("document_date_invalid", "document_date", "1899-12-31");
        await Refused("document_date_invalid", "document_date", "2024-02-30");
        await Refused("page_invalid", "page", "99999999999");
        await Refused("page_invalid", "page", "1e3");
        await Refused("page_invalid", "page", "-1");
        await Refused("rect_invalid", "rect", "NaN,60,540,150");
        await Refused("rect_invalid", "rect", "400,Infinity,540,150");
        await Refused("rect_invalid", "rect", "1e308,60,540,150");
        await Refused("rect_invalid", "rect", "0x10,60,540,150");
        await Refused("document_value_invalid", "document_value", "99999999999999999999");
        await Refused("document_value_invalid", "document_value", "1e3");
        await Refused("document_value_invalid", "document_value", "10000.5");

        // The bounds themselves are dates a document may have.
        foreach (var date in new[] { "1900-01-01", todayWib.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
        {
            using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, "date-" + date, TestPdf.Create(text: "Surat " + date), world.Fields(("document_date", date)));
            Assert.True(stamped.StatusCode == HttpStatusCode.Created, $"{date}: {(int)stamped.StatusCode} {await stamped.Content.ReadAsStringAsync(Ct)}");
        }
    }

    private static async Task<HttpResponseMessage> PostRawAsync(TestService service, string path, string json, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await service.Http.SendAsync(request, Ct);
    }
}
