using System.Net;
using System.Net.Http.Headers;
using Meterai.Core.Stamping;
using Meterai.Server.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// A node that is stamping as much as it may (<c>Stamping:MaxInFlight</c>) answers the next request at once with 503
/// <c>stamping_busy</c> and Retry-After, charging nothing; the same request retried later is stamped normally.
/// </summary>
public abstract class StampAdmissionContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_node_sheds_the_next_stamp_at_once_with_retry_after_and_its_retry_is_stamped_later()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:MaxInFlight=1");
        var world = await World.CreateAsync(service, sell: 2);
        var admission = service.Service<StampAdmission>();

        // The first request is admitted and then held mid-upload, so the node is full for as long as the test likes.
        using var first = StampClient.Form(TestPdf.Create(text: "Surat Pertama"), world.Fields());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new GatedContent(await first.ReadAsByteArrayAsync(Ct), first.Headers.ContentType!, release.Task);
        var firstAnswer = StampClient.PostAsync(service.Http, "/api/v1/stamps", held, world.ChannelToken, "first");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (admission.InFlight < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first request was never admitted");
            await Task.Delay(20, Ct);
        }

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

        Assert.Equal(0, admission.InFlight);
        using (var retried = await StampClient.StampAsync(service.Http, world.ChannelToken, "second", second, world.Fields()))
        {
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
            Assert.False(retried.Headers.Contains("Meterai-Replayed")); // a first attempt, not a replay: the shed request left nothing
        }

        Assert.Equal(0L, (await world.QuotaAsync(service)).GetProperty("available").GetInt64());
    }

    /// <summary>A request body that sends its first half, then waits for <paramref name="gate"/> before the rest.</summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly Task _gate;

        public GatedContent(byte[] body, MediaTypeHeaderValue contentType, Task gate)
        {
            _body = body;
            _gate = gate;
            Headers.ContentType = contentType;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _body.Length / 2;
            await stream.WriteAsync(_body.AsMemory(0, half));
            await stream.FlushAsync();
            await _gate;
            await stream.WriteAsync(_body.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}

public sealed class SqliteStampAdmissionTests(SqliteBackend backend) : StampAdmissionContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampAdmissionTests(PostgresBackend backend) : StampAdmissionContract(backend), IClassFixture<PostgresBackend>;
