using System.Net;
using System.Text.Json;
using Meterai.Bench.Bounds;
using Meterai.Pdf;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// Issue 10 item 4, the stamping side: a stamp, and a background job above all, works within a processor-time and
/// memory budget. A damaged file whose recovery needs more fails with <c>work_limit_exceeded</c>, its quota
/// reservation voided: nothing is charged, and the node was not held. (The budget is lowered here so that a small
/// file crosses it; the default bounds are 2 s and 256 MB.)
/// </summary>
public abstract class StampBudgetContract(DatabaseBackend backend)
{
    private static readonly Lazy<byte[]> Damaged = new(() => DamagedPdf.Create(1024 * 1024));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_past_its_work_budget_fails_with_work_limit_exceeded_and_charges_nothing()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:AsyncThresholdBytes=100000", "Stamping:JobPollSeconds=0.1",
            "Stamping:JobMaxAllocatedMegabytes=8");
        var world = await World.CreateAsync(service, sell: 2);

        using var accepted = await StampClient.StampAsync(service.Http, world.ChannelToken, "job-bomb", Damaged.Value, world.Fields());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;

        var stamp = await SettledAsync(service, id, world.ChannelToken);
        Assert.True(stamp.GetProperty("state").GetString() == "failed", $"the job was not failed: {stamp}");
        var error = stamp.GetProperty("error");
        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, error.GetProperty("code").GetString());
        Assert.False(error.GetProperty("retryable").GetBoolean());
        var quota = await world.QuotaAsync(service);
        Assert.Equal((2L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64()));
    }

    [Fact]
    public async Task A_stamp_past_its_work_budget_answers_422_work_limit_exceeded_and_charges_nothing()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:MaxAllocatedMegabytes=8");
        var world = await World.CreateAsync(service, sell: 2);

        using var refused = await StampClient.StampAsync(service.Http, world.ChannelToken, "sync-bomb", Damaged.Value, world.Fields());
        await ProblemAssert.IsAsync(refused, 422, PdfErrorCodes.WorkLimitExceeded);
        var quota = await world.QuotaAsync(service);
        Assert.Equal((2L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64()));
    }

    private static async Task<JsonElement> SettledAsync(TestService service, string id, string token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var stamp = await service.GetJsonAsync($"/api/v1/stamps/{id}", token);
            if (stamp.GetProperty("state").GetString() is "completed" or "failed") return stamp;
            Assert.True(DateTime.UtcNow < deadline, $"stamp {id} never settled: {stamp}");
            await Task.Delay(100, Ct);
        }
    }
}

public sealed class SqliteStampBudgetTests(SqliteBackend backend) : StampBudgetContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampBudgetTests(PostgresBackend backend) : StampBudgetContract(backend), IClassFixture<PostgresBackend>;
