using System.Net;
using System.Text.Json;
using Meterai.Bench;
using Meterai.Bench.Bounds;
using Meterai.Pdf;
using Meterai.Server.Tests.Support;
using Meterai.Server.Verification;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Verification;

/// <summary>
/// Issue 10 item 4 through the real HTTP stack: anonymous verification is no amplifier. The amplifier file (a hundred
/// fields sharing one signature, twenty thousand objects rewritten after it) gets a small answer within the work
/// budget; a node verifying as much as it may sheds the next request with 503 and Retry-After; a client over its rate
/// gets 429 and Retry-After while another client is still served.
/// </summary>
public abstract class VerificationBoundsContract(DatabaseBackend backend)
{
    /// <summary>What any answer of /api/v1/verify stays under: 20 signatures × 20 notes of capped texts, with room.</summary>
    private const int MaxAnswerBytes = 256 * 1024;

    private static readonly Lazy<byte[]> Stamped = new(() => AmplifierPdf.Stamp(SamplePdf.Create()));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_amplifier_gets_a_bounded_answer_within_the_work_budget()
    {
        await using var service = await TestService.StartAsync(backend);
        using var response = await StampClient.VerifyAsync(service.Http, AmplifierPdf.Create());
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.True(body.Length <= MaxAnswerBytes, $"the answer is {body.Length:N0} bytes");
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            // Over the budget on a slow machine: refused with the budget's code, which is bounded too.
            Assert.Equal(PdfErrorCodes.WorkLimitExceeded, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(100, answer.GetProperty("signature_count").GetInt32());
        Assert.True(answer.GetProperty("truncated").GetBoolean());
        Assert.True(answer.GetProperty("changed_after_e_meterai").GetBoolean());
        Assert.False(answer.GetProperty("all_valid").GetBoolean() && answer.GetProperty("all_e_meterai_registered").GetBoolean());
        var listed = answer.GetProperty("signatures").EnumerateArray().ToList();
        Assert.InRange(listed.Count, 1, 20);
        Assert.All(listed, s =>
        {
            Assert.Equal("changed", s.GetProperty("changes_after").GetString());
            Assert.InRange(s.GetProperty("change_notes").GetArrayLength(), 1, 20);
            Assert.True(s.GetProperty("change_note_count").GetInt32() >= AmplifierPdf.DefaultObjects);
        });
    }

    [Fact]
    public async Task A_verification_beyond_the_admission_bound_gets_503_with_retry_after_and_its_retry_is_served()
    {
        await using var service = await TestService.StartAsync(backend, null, "Verification:MaxInFlight=1");
        var admission = service.Service<VerificationAdmission>();

        // The one slot is taken, as by a verification in the engine right now.
        Assert.True(admission.TryEnter());
        try
        {
            using var shed = await StampClient.VerifyAsync(service.Http, Stamped.Value);
            await ProblemAssert.IsAsync(shed, 503, "verification_busy");
            Assert.Equal(TimeSpan.FromSeconds(2), shed.Headers.RetryAfter?.Delta);
        }
        finally
        {
            admission.Exit();
        }

        using var retried = await StampClient.VerifyAsync(service.Http, Stamped.Value);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(0, admission.InFlight);
    }

    [Fact]
    public async Task A_client_over_its_verification_rate_gets_429_with_retry_after_and_another_client_is_still_served()
    {
        await using var service = await TestService.StartAsync(backend, null, "Verification:PerClientPerMinute=3", "Api:TrustedProxies=127.0.0.1");

        for (var i = 0; i < 3; i++)
        {
            using var served = await VerifyAsAsync(service, "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using (var limited = await VerifyAsAsync(service, "203.0.113.7"))
        {
            await ProblemAssert.IsAsync(limited, 429, "verification_rate_limited");
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        }

        using var other = await VerifyAsAsync(service, "203.0.113.8");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // Another address of the same IPv6 /64 is the same client; another /64 is another.
        for (var i = 0; i < 3; i++)
        {
            using var v6 = await VerifyAsAsync(service, $"2001:db8:1:2::{i + 1}");
            Assert.Equal(HttpStatusCode.OK, v6.StatusCode);
        }

        using (var sameSubnet = await VerifyAsAsync(service, "2001:db8:1:2::99"))
        {
            await ProblemAssert.IsAsync(sameSubnet, 429, "verification_rate_limited");
        }

        using var otherSubnet = await VerifyAsAsync(service, "2001:db8:1:3::1");
        Assert.Equal(HttpStatusCode.OK, otherSubnet.StatusCode);
    }

    private static async Task<HttpResponseMessage> VerifyAsAsync(TestService service, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/verify") { Content = StampClient.Form(Stamped.Value, new Dictionary<string, string>()) };
        request.Headers.Add("X-Forwarded-For", client);
        return await service.Http.SendAsync(request, Ct);
    }
}

public sealed class SqliteVerificationBoundsTests(SqliteBackend backend) : VerificationBoundsContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresVerificationBoundsTests(PostgresBackend backend) : VerificationBoundsContract(backend), IClassFixture<PostgresBackend>;
