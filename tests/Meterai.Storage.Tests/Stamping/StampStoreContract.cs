using System.Collections.Concurrent;
using System.Security.Cryptography;
using Meterai.Core.Channels;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Stamping;

/// <summary>What every <see cref="IStampStore"/> does, on SQLite and PostgreSQL.</summary>
public abstract class StampStoreContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2024, 9, 2, 8, 0, 0, TimeSpan.Zero);

    private static async Task<UInt128> ApplicantAsync(MeteraiDatabase db) =>
        (await db.Applicants.CreateForChannelAsync(LedgerId.New(), Channel.DirectId, "ref-" + Guid.NewGuid().ToString("N"), T0, Ct)).Id;

    private static StampRecord New(UInt128 applicant, StampState state = StampState.Processing, UInt128? token = null, bool job = false, DateTimeOffset? created = null)
    {
        var id = LedgerId.New();
        return new StampRecord(id, applicant, applicant, Channel.DirectId, RandomNumberGenerator.GetBytes(32), state, 1, SerialNumber.New(), StampIds.Reservation(id, 1),
            state == StampState.Processing ? token ?? LedgerId.New() : UInt128.Zero, state == StampState.Processing ? T0.AddSeconds(30) : null,
            new StampDocument("surat_pernyataan", "SP-01/2024", new DateOnly(2024, 9, 1), 5_000_000), new StampPlacement(2, 10.5, 20, 150.25, 110),
            "surat.pdf", 1234, RandomNumberGenerator.GetBytes(32), job, 0, job ? T0 : null, null, null, null, created ?? T0, null, null, null, null, null, false);
    }

    [Fact]
    public async Task A_stamp_begins_once_and_reads_back_whole()
    {
        await using var db = await backend.OpenAsync();
        var record = New(await ApplicantAsync(db));
        var (first, created) = await db.Stamps.BeginAsync(record, Ct);
        Assert.True(created);
        Assert.Equal(record.Document, first.Document);
        Assert.Equal(record.Placement, first.Placement);
        Assert.Equal((record.Serial, record.PendingTransferId, record.LeaseToken, record.LeaseUntil), (first.Serial, first.PendingTransferId, first.LeaseToken, first.LeaseUntil));
        Assert.Equal(record.RequestSha256, first.RequestSha256);

        var (again, createdAgain) = await db.Stamps.BeginAsync(record with { Serial = SerialNumber.New(), RequestSha256 = new byte[32] }, Ct);
        Assert.False(createdAgain);
        Assert.Equal(record.Serial, again.Serial);
        Assert.Equal(record.RequestSha256, again.RequestSha256);
        Assert.Null(await db.Stamps.GetAsync(LedgerId.New(), Ct));
    }

    [Fact]
    public async Task Only_the_lease_holder_finishes_an_attempt_and_a_lapsed_lease_can_be_taken_over()
    {
        await using var db = await backend.OpenAsync();
        var token = LedgerId.New();
        var (s, _) = await db.Stamps.BeginAsync(New(await ApplicantAsync(db), token: token), Ct);
        Assert.Null(await db.Stamps.TakeOverAsync(s.Id, LedgerId.New(), T0.AddSeconds(10), T0.AddSeconds(60), Ct)); // lease still running

        var other = LedgerId.New();
        var taken = await db.Stamps.TakeOverAsync(s.Id, other, T0.AddSeconds(31), T0.AddSeconds(90), Ct);
        Assert.Equal((other, T0.AddSeconds(90)), (taken!.LeaseToken, taken.LeaseUntil));
        var completion = new StampCompletion(RandomNumberGenerator.GetBytes(32), 4321, T0.AddSeconds(40), T0.AddSeconds(41), T0.AddHours(72));
        Assert.False(await db.Stamps.CompleteAsync(s.Id, token, 1, completion, Ct)); // the old holder lost its lease
        Assert.False(await db.Stamps.CompleteAsync(s.Id, other, 2, completion, Ct)); // not its attempt
        Assert.True(await db.Stamps.CompleteAsync(s.Id, other, 1, completion, Ct));
        Assert.False(await db.Stamps.FailAsync(s.Id, other, 1, "x", "y", true, T0, Ct)); // final
        var done = await db.Stamps.GetAsync(s.Id, Ct);
        Assert.Equal((StampState.Completed, 4321L, T0.AddHours(72), UInt128.Zero), (done!.State, done.OutputBytes, done.FileExpiresAt, done.LeaseToken));
        Assert.Equal(completion.OutputSha256, done.OutputSha256);
        Assert.Null(await db.Stamps.TakeOverAsync(s.Id, LedgerId.New(), T0.AddDays(1), T0.AddDays(2), Ct));
    }

    [Fact]
    public async Task A_completion_stores_the_rectangle_an_automatic_placement_chose_and_why()
    {
        await using var db = await backend.OpenAsync();
        var token = LedgerId.New();
        var (s, _) = await db.Stamps.BeginAsync(New(await ApplicantAsync(db), token: token) with { Placement = new StampPlacement(3, 0, 0, 0, 0) }, Ct);
        Assert.True(s.Placement.IsAutomatic);
        Assert.True(s.Placement.IsUnchosen);

        var placed = new StampPlacement(3, 448, 24, 588, 114, "page_full");
        var completion = new StampCompletion(RandomNumberGenerator.GetBytes(32), 4321, T0.AddSeconds(40), T0.AddSeconds(41), T0.AddHours(72), placed);
        Assert.True(await db.Stamps.CompleteAsync(s.Id, token, 1, completion, Ct));

        var done = await db.Stamps.GetAsync(s.Id, Ct);
        Assert.Equal(placed, done!.Placement);
        Assert.True(done.Placement.IsAutomatic);
        Assert.False(done.Placement.IsUnchosen);
    }

    [Fact]
    public async Task A_retryable_failure_starts_the_next_attempt_once_and_a_final_one_never()
    {
        await using var db = await backend.OpenAsync();
        var applicant = await ApplicantAsync(db);
        var token = LedgerId.New();
        var (s, _) = await db.Stamps.BeginAsync(New(applicant, token: token), Ct);
        Assert.True(await db.Stamps.FailAsync(s.Id, token, 1, "quota_exhausted", "no quota", true, T0, Ct));
        var failed = await db.Stamps.GetAsync(s.Id, Ct);
        Assert.Equal((StampState.Failed, "quota_exhausted", true), (failed!.State, failed.ErrorCode, failed.ErrorRetryable));

        var serial = SerialNumber.New();
        var retries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            db.Stamps.RetryAsync(s.Id, 1, LedgerId.New(), T0.AddMinutes(1), serial, StampIds.Reservation(s.Id, 2), Ct)));
        var won = Assert.Single(retries, r => r is not null);
        Assert.Equal((2, serial, StampState.Processing, (string?)null), (won!.Attempt, won.Serial, won.State, won.ErrorCode));

        var (f, _) = await db.Stamps.BeginAsync(New(applicant, token: token), Ct);
        Assert.True(await db.Stamps.FailAsync(f.Id, token, 1, "page_out_of_range", "no page 9", false, T0, Ct));
        Assert.Null(await db.Stamps.RetryAsync(f.Id, 1, LedgerId.New(), T0, SerialNumber.New(), 5, Ct));
    }

    [Fact]
    public async Task Two_nodes_claiming_jobs_and_abandoned_stamps_never_get_the_same_one()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var applicant = await ApplicantAsync(a);
        var jobs = new List<UInt128>();
        for (var i = 0; i < 12; i++) jobs.Add((await a.Stamps.BeginAsync(New(applicant, StampState.Queued, job: true), Ct)).Record.Id);
        var claimed = new ConcurrentBag<UInt128>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            foreach (var r in await (i % 2 == 0 ? a : b).Stamps.ClaimJobsAsync(LedgerId.New(), T0.AddSeconds(1), T0.AddMinutes(5), 3, Ct)) claimed.Add(r.Id);
        }));
        var mine = claimed.Where(jobs.Contains).ToList();
        Assert.Equal(mine.Count, mine.Distinct().Count());
        var one = (await a.Stamps.GetAsync(mine[0], Ct))!;
        Assert.Equal((StampState.Processing, 1), (one.State, one.JobRuns));

        // Queued again with a later run time, a job is not due before it.
        Assert.True(await a.Stamps.QueueAsync(one.Id, one.LeaseToken, T0.AddHours(1), "timestamp_unavailable", Ct));
        Assert.DoesNotContain(await a.Stamps.ClaimJobsAsync(LedgerId.New(), T0.AddMinutes(30), T0.AddHours(2), 100, Ct), r => r.Id == one.Id);

        var stale = new List<UInt128>();
        for (var i = 0; i < 6; i++) stale.Add((await a.Stamps.BeginAsync(New(applicant), Ct)).Record.Id); // leases end at T0+30s
        var recovered = new ConcurrentBag<UInt128>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            foreach (var r in await (i % 2 == 0 ? a : b).Stamps.ClaimAbandonedAsync(LedgerId.New(), T0.AddMinutes(2), T0.AddMinutes(10), 2, Ct)) recovered.Add(r.Id);
        }));
        var ours = recovered.Where(stale.Contains).ToList();
        Assert.Equal(ours.Count, ours.Distinct().Count());
        Assert.NotEmpty(ours);
    }

    [Fact]
    public async Task Expired_files_are_purged_once_across_nodes_and_lists_show_only_whose_stamps_they_are()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var applicant = await ApplicantAsync(a);
        var other = await ApplicantAsync(a);
        var ids = new List<UInt128>();
        for (var i = 0; i < 5; i++)
        {
            var token = LedgerId.New();
            var (s, _) = await a.Stamps.BeginAsync(New(applicant, token: token, created: T0.AddMinutes(i)), Ct);
            Assert.True(await a.Stamps.CompleteAsync(s.Id, token, 1, new StampCompletion(RandomNumberGenerator.GetBytes(32), 10, T0, T0, T0.AddHours(i < 3 ? 1 : 100)), Ct));
            ids.Add(s.Id);
        }

        await a.Stamps.BeginAsync(New(other), Ct);
        var deleted = new ConcurrentBag<UInt128>();
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? a : b).Stamps.PurgeExpiredFilesAsync(T0.AddHours(2), 100, s =>
        {
            deleted.Add(s.Id);
            return Task.CompletedTask;
        }, Ct)));
        Assert.Equal(ids.Take(3).Order(), deleted.Where(ids.Contains).Order());
        Assert.True(counts.Sum() >= 3);
        Assert.NotNull((await a.Stamps.GetAsync(ids[0], Ct))!.FilePurgedAt);
        Assert.Null((await a.Stamps.GetAsync(ids[4], Ct))!.FilePurgedAt);

        var mine = await a.Stamps.ListAsync(new StampQuery(applicant, null, null, 10), Ct);
        Assert.Equal(ids.AsEnumerable().Reverse(), mine.Select(s => s.Id));
        var page = await a.Stamps.ListAsync(new StampQuery(applicant, null, mine[1].CreatedAt, 2), Ct);
        Assert.Equal([ids[2], ids[1]], page.Select(s => s.Id));
        Assert.DoesNotContain(await a.Stamps.ListAsync(new StampQuery(other, null, null, 10), Ct), s => s.ApplicantId == applicant);
    }
}

public sealed class SqliteStampStoreTests(SqliteBackend backend) : StampStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampStoreTests(PostgresBackend backend) : StampStoreContract(backend), IClassFixture<PostgresBackend>;
