using System.Net;
using Meterai.Core.Stamping;
using Meterai.Server.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// A node bounds what it works on at once: uploads being read (<c>Stamping:MaxUploads</c>) and stamps being made once
/// their upload has arrived (<c>Stamping:MaxInFlight</c>). Past either bound the next request is answered at once with
/// 503 <c>stamping_busy</c> and Retry-After, charging nothing; the same request retried later is stamped normally. A
/// channel's stamps for one applicant are bounded too (<c>Stamping:MaxInFlightPerApplicant</c>: 429).
/// </summary>
public abstract class StampAdmissionContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_stamping_as_much_as_it_may_sheds_the_next_stamp_at_once_with_retry_after_and_its_retry_is_stamped_later()
    {
        // The first stamp is held at its timestamp, i.e. in the middle of stamping, so the node is full for as long as the test likes.
        await using var tsa = new GatedTimestampAuthority(hold: 1);
        await using var service = await TestService.StartAsync(backend, null, "Stamping:MaxInFlight=1", $"Signing:Timestamp={tsa.Url}");
        tsa.Authority = service.Service<IssuerKeys>().TimestampAuthority;
        var world = await World.CreateAsync(service, sell: 2);
        var admission = service.Service<StampAdmission>();

        var firstAnswer = StampClient.StampAsync(service.Http, world.ChannelToken, "first", TestPdf.Create(text: "Surat Pertama"), world.Fields());
        await WaitUntilAsync(() => tsa.Arrived == 1, "the first stamp never asked for its timestamp");
        Assert.Equal(1, admission.InFlight);

        var second = TestPdf.Create(text: "Surat Kedua");
        using (var shed = await StampClient.StampAsync(service.Http, world.ChannelToken, "second", second, world.Fields()))
        {
            await ProblemAssert.IsAsync(shed, 503, StampErrors.Busy);
            Assert.Equal(TimeSpan.FromSeconds(2), shed.Headers.RetryAfter?.Delta);
        }

        // Only the first stamp's reservation is held: the shed request charged nothing.
        var quota = await world.QuotaAsync(service);
        Assert.Equal((1L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64()));

        tsa.Release();
        using (var stamped = await firstAnswer)
        {
            Assert.Equal(HttpStatusCode.Created, stamped.StatusCode);
        }

        await RetryIsAFirstAttemptAsync(service, world, admission, second);
    }

    [Fact]
    public async Task A_node_reading_as_many_uploads_as_it_may_sheds_the_next_before_reading_it()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:MaxUploads=1");
        var world = await World.CreateAsync(service, sell: 2);
        var admission = service.Service<StampAdmission>();

        // The first request is held mid-upload: it occupies the node's one upload, and no stamping slot yet.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = await HeldUpload.OfAsync(StampClient.Form(TestPdf.Create(text: "Surat Pertama"), world.Fields()), release.Task);
        var firstAnswer = StampClient.PostAsync(service.Http, "/api/v1/stamps", held, world.ChannelToken, "first");
        await WaitUntilAsync(() => admission.InFlight + admission.Uploading == 1, "the first upload was never admitted");
        Assert.Equal(0, admission.InFlight);

        var second = TestPdf.Create(text: "Surat Kedua");
        using (var shed = await StampClient.StampAsync(service.Http, world.ChannelToken, "second", second, world.Fields()))
        {
            await ProblemAssert.IsAsync(shed, 503, StampErrors.Busy);
            Assert.Equal(TimeSpan.FromSeconds(2), shed.Headers.RetryAfter?.Delta);
        }

        var quota = await world.QuotaAsync(service);
        Assert.Equal((2L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64()));

        release.SetResult();
        using (var stamped = await firstAnswer)
        {
            Assert.Equal(HttpStatusCode.Created, stamped.StatusCode);
        }

        await RetryIsAFirstAttemptAsync(service, world, admission, second);
    }

    [Fact]
    public async Task A_channel_stamps_for_one_applicant_at_most_its_share_at_once_and_for_its_other_applicants_meanwhile()
    {
        await using var tsa = new GatedTimestampAuthority(hold: 2);
        await using var service = await TestService.StartAsync(backend, null, "Stamping:MaxInFlightPerApplicant=2", $"Signing:Timestamp={tsa.Url}");
        tsa.Authority = service.Service<IssuerKeys>().TimestampAuthority;
        var world = await World.CreateAsync(service, sell: 3);

        var held = new[]
        {
            StampClient.StampAsync(service.Http, world.ChannelToken, "a-1", TestPdf.Create(text: "Surat A1"), world.Fields()),
            StampClient.StampAsync(service.Http, world.ChannelToken, "a-2", TestPdf.Create(text: "Surat A2"), world.Fields()),
        };
        await WaitUntilAsync(() => tsa.Arrived == 2, "the first two stamps never asked for their timestamps");

        using (var third = await StampClient.StampAsync(service.Http, world.ChannelToken, "a-3", TestPdf.Create(text: "Surat A3"), world.Fields()))
        {
            await ProblemAssert.IsAsync(third, 429, "too_many_stamps_in_progress");
            Assert.NotNull(third.Headers.RetryAfter);
        }

        // Another applicant of the same channel is stamped meanwhile.
        var other = await service.PostJsonAsync("/api/v1/channel/applicants", new { external_ref = "pelanggan-lain" }, world.ChannelToken);
        var otherId = other.GetProperty("id").GetString()!;
        await service.PostJsonAsync($"/api/v1/channel/applicants/{otherId}/quota", new { stamps = 1 }, world.ChannelToken, Guid.NewGuid().ToString());
        using (var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, "b-1", TestPdf.Create(text: "Surat B1"), world.Fields(("applicant_id", otherId))))
        {
            Assert.Equal(HttpStatusCode.Created, stamped.StatusCode);
        }

        tsa.Release();
        foreach (var request in held)
        {
            using var answer = await request;
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        }
    }

    private static async Task RetryIsAFirstAttemptAsync(TestService service, World world, StampAdmission admission, byte[] pdf)
    {
        Assert.Equal((0, 0), (admission.InFlight, admission.Uploading));
        using (var retried = await StampClient.StampAsync(service.Http, world.ChannelToken, "second", pdf, world.Fields()))
        {
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
            Assert.False(retried.Headers.Contains("Meterai-Replayed")); // a first attempt, not a replay: the shed request left nothing
        }

        Assert.Equal(0L, (await world.QuotaAsync(service)).GetProperty("available").GetInt64());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20, Ct);
        }
    }
}

public sealed class SqliteStampAdmissionTests(SqliteBackend backend) : StampAdmissionContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampAdmissionTests(PostgresBackend backend) : StampAdmissionContract(backend), IClassFixture<PostgresBackend>;
