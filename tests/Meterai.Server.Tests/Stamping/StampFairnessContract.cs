using System.Net;
using Meterai.Server.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// Issue 10, item 6: one caller's slow uploads stopped stamping on a node (130 uploads at about 500 B/s held every
/// admission slot, so every stamp answered 503). An upload takes a stamping slot only once it has arrived, and each
/// caller (an applicant, a channel) has a share of its own: its uploads past that are refused at once with 429, and
/// everyone else keeps stamping.
/// </summary>
public abstract class StampFairnessContract(DatabaseBackend backend)
{
    private const int NodeSlots = 4;
    private const int CallerShare = 6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("applicant")]
    [InlineData("channel")]
    public async Task Slow_uploads_from_one_caller_hold_no_stamping_slot_and_another_callers_stamp_goes_through(string attackerKind)
    {
        await using var service = await TestService.StartAsync(backend, null, $"Stamping:MaxInFlight={NodeSlots}",
            $"Stamping:MaxInFlightPerApplicant={CallerShare}", $"Stamping:MaxInFlightPerChannel={CallerShare}");
        var admission = service.Service<StampAdmission>();
        var admin = await service.OperatorTokenAsync("issuer_admin");
        var other = await World.CreateAsync(service, sell: 1, admin: admin);
        var (token, fields) = await AttackerAsync(service, attackerKind, admin);

        // The attacker fills its whole share with uploads that never finish arriving: more than the node has slots.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < CallerShare; i++)
        {
            var upload = await HeldUpload.OfAsync(StampClient.Form(TestPdf.Create(text: $"Unggahan lambat {i}"), fields), gate.Task);
            slow.Add(StampClient.PostAsync(service.Http, "/api/v1/stamps", upload, token, $"slow-{i}"));
        }

        await WaitUntilAsync(() => Busy(admission) >= NodeSlots, "the slow uploads never reached the node");

        using (var stamped = await StampClient.StampAsync(service.Http, other.ChannelToken, "other-caller", TestPdf.Create(text: "Surat Orang Lain"), other.Fields()))
        {
            Assert.True(stamped.StatusCode == HttpStatusCode.Created, $"another caller's stamp answered {(int)stamped.StatusCode}: {await stamped.Content.ReadAsStringAsync(Ct)}");
        }

        // The attacker's next request is past its own share: refused at once, its upload never read.
        using (var more = await StampClient.StampAsync(service.Http, token, "one-more", TestPdf.Create(text: "Satu Lagi"), fields))
        {
            var problem = await ProblemAssert.IsAsync(more, 429, "too_many_stamps_in_progress");
            Assert.NotNull(more.Headers.RetryAfter);
            Assert.Contains(CallerShare.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        gate.SetResult();
        foreach (var request in slow) (await request).Dispose();
        Assert.Equal((0, 0), (admission.InFlight, Busy(admission)));
    }

    /// <summary>Requests the node is working on: uploads being read and stamps being made.</summary>
    private static int Busy(StampAdmission admission) => admission.InFlight + admission.Uploading;

    /// <summary>A self-registered applicant without quota, or a channel stamping for one of its applicants.</summary>
    private static async Task<(string Token, Dictionary<string, string> Fields)> AttackerAsync(TestService service, string kind, string admin)
    {
        if (kind == "applicant") return ((await service.ApplicantAsync()).Token, StampClient.Fields());
        var world = await World.CreateAsync(service, sell: 0, admin: admin);
        return (world.ChannelToken, world.Fields());
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

public sealed class SqliteStampFairnessTests(SqliteBackend backend) : StampFairnessContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampFairnessTests(PostgresBackend backend) : StampFairnessContract(backend), IClassFixture<PostgresBackend>;
