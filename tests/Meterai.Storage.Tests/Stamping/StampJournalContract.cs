using System.Security.Cryptography;
using Meterai.Core.Channels;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage;
using Meterai.Storage.Postgres;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Stamping;

/// <summary>
/// What every <see cref="IStampJournal"/> does, on SQLite (step by step) and PostgreSQL (group commit): the same
/// outcomes as the separate steps, alone and with many stamps at once, and a batch that cannot commit never costs
/// the other stamps in it their outcome.
/// </summary>
public abstract class StampJournalContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    /// <summary>An applicant of the direct channel with <paramref name="quota"/> stamps.</summary>
    private static async Task<UInt128> ApplicantAsync(MeteraiDatabase db, long quota)
    {
        var applicant = (await db.Applicants.CreateForChannelAsync(LedgerId.New(), Channel.DirectId, "ref-" + Guid.NewGuid().ToString("N"), T0, Ct)).Id;
        Assert.True((await db.Ledger.CreateAccountsAsync([QuotaAccounts.ApplicantQuota(applicant)], Ct))[0].IsCommitted());
        if (quota > 0)
        {
            var minted = await db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, QuotaAccounts.ApplicantQuotaId(applicant), quota, TransferCode.Mint)], Ct);
            Assert.Equal(TransferResult.Ok, minted[0]);
        }

        return applicant;
    }

    private static StampRecord New(UInt128 applicant)
    {
        var id = LedgerId.New();
        return new StampRecord(id, applicant, applicant, Channel.DirectId, RandomNumberGenerator.GetBytes(32), StampState.Processing, 1, SerialNumber.New(),
            StampIds.Reservation(id, 1), LedgerId.New(), T0.AddSeconds(30), new StampDocument("surat_pernyataan", null, null, null), new StampPlacement(1, 10, 20, 150, 110),
            "surat.pdf", 1234, RandomNumberGenerator.GetBytes(32), false, 0, null, null, null, null, T0, null, null, null, null, null, false);
    }

    private static Transfer Reservation(StampRecord s) =>
        new(s.PendingTransferId, QuotaAccounts.ApplicantQuotaId(s.ApplicantId), SystemAccounts.Consumed.Id, 1, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 300);

    private static StampClose Close(StampRecord s, byte[]? sha = null, UInt128? token = null)
    {
        sha ??= RandomNumberGenerator.GetBytes(32);
        var post = new Transfer(StampIds.Post(s.PendingTransferId), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, s.PendingTransferId);
        return new StampClose(s, token ?? s.LeaseToken, post, new SerialStamp(sha, s.Placement.Page, T0.AddSeconds(1), s.ChannelId),
            new StampCompletion(sha, 4321, T0.AddSeconds(1), T0.AddSeconds(2), T0.AddHours(72)));
    }

    private static async Task<Account> QuotaAsync(MeteraiDatabase db, UInt128 applicant) =>
        (await db.Ledger.LookupAccountsAsync([QuotaAccounts.ApplicantQuotaId(applicant)], Ct)).Single();

    /// <summary>Opens <paramref name="s"/> and reserves its serial, as a stamp does once the engine accepted its file.</summary>
    private static async Task OpenAndReserveAsync(MeteraiDatabase db, StampRecord s)
    {
        Assert.True((await db.StampJournal.OpenAsync(s, Reservation(s), Ct)).Reserved);
        Assert.True((await db.StampJournal.ReserveSerialAsync(new SerialReservation(s.Serial, s.PendingTransferId, s.ChannelId, s.ApplicantId), Ct)).IsOk);
    }

    [Fact]
    public async Task An_opening_records_the_stamp_and_holds_its_quota_once_and_its_serial_is_reserved_apart()
    {
        await using var db = await backend.OpenAsync();
        var applicant = await ApplicantAsync(db, 3);
        var record = New(applicant);

        var opening = await db.StampJournal.OpenAsync(record, Reservation(record), Ct);
        Assert.True(opening.Reserved);
        Assert.Equal((record.Id, record.Serial, record.LeaseToken), (opening.Record.Id, opening.Record.Serial, opening.Record.LeaseToken));
        Assert.Equal(record.LeaseUntil!.Value.UtcTicks / 10, opening.Record.LeaseUntil!.Value.UtcTicks / 10);
        Assert.Equal(opening.Record.CreatedAt, (await db.Stamps.GetAsync(record.Id, Ct))!.CreatedAt);
        Assert.Equal(1, (await QuotaAsync(db, applicant)).DebitsPending);
        Assert.Null(await db.Serials.GetAsync(record.Serial, Ct)); // not before the engine accepts the file

        var reservation = new SerialReservation(record.Serial, record.PendingTransferId, record.ChannelId, record.ApplicantId);
        var reserved = await db.StampJournal.ReserveSerialAsync(reservation, Ct);
        Assert.Equal((SerialState.Reserved, record.PendingTransferId), (reserved.Value.State, reserved.Value.PendingTransferId));
        Assert.Equal(reserved.Value, await db.Serials.GetAsync(record.Serial, Ct));
        Assert.Equal(reserved.Value, (await db.StampJournal.ReserveSerialAsync(reservation, Ct)).Value); // a repeat answers the same
        var taken = await db.StampJournal.ReserveSerialAsync(reservation with { PendingTransferId = LedgerId.New() }, Ct);
        Assert.Equal(SerialRegistryErrors.AlreadyReserved, taken.Error!.Code);

        // The same stamp again (a retry with the same key): the stored record, nothing held a second time.
        var again = await db.StampJournal.OpenAsync(record with { Serial = SerialNumber.New(), RequestSha256 = new byte[32] }, Reservation(record), Ct);
        Assert.False(again.Created);
        Assert.False(again.Reserved);
        Assert.Equal(record.Serial, again.Record.Serial);
        Assert.Equal(record.RequestSha256, again.Record.RequestSha256);
        Assert.Equal(1, (await QuotaAsync(db, applicant)).DebitsPending);
    }

    [Fact]
    public async Task An_opening_without_quota_records_the_stamp_and_holds_nothing()
    {
        await using var db = await backend.OpenAsync();
        var record = New(await ApplicantAsync(db, 0));
        var opening = await db.StampJournal.OpenAsync(record, Reservation(record), Ct);
        Assert.True(opening.Created);
        Assert.False(opening.Reserved);
        Assert.Equal(TransferResult.ExceedsCredits, opening.Reservation);
        Assert.Null(await db.Serials.GetAsync(record.Serial, Ct));
        Assert.Equal(StampState.Processing, (await db.Stamps.GetAsync(record.Id, Ct))!.State);
    }

    [Fact]
    public async Task A_closing_posts_binds_and_completes_and_only_the_lease_holder_completes()
    {
        await using var db = await backend.OpenAsync();
        var applicant = await ApplicantAsync(db, 2);
        var mine = New(applicant);
        var lost = New(applicant);
        foreach (var r in new[] { mine, lost }) await OpenAndReserveAsync(db, r);

        var close = Close(mine);
        var closing = await db.StampJournal.CloseAsync(close, Ct);
        Assert.Equal((TransferResult.Ok, true), (closing.Post, closing.Completed));
        var serial = await db.Serials.GetAsync(mine.Serial, Ct);
        Assert.Equal(SerialState.Stamped, serial!.State);
        Assert.Equal(close.Binding.DocumentSha256, serial.DocumentSha256);
        var stamp = await db.Stamps.GetAsync(mine.Id, Ct);
        Assert.Equal((StampState.Completed, 4321L, UInt128.Zero), (stamp!.State, stamp.OutputBytes, stamp.LeaseToken));
        Assert.Equal(serial.StampedAt, stamp.StampedAt);
        Assert.Equal(serial.StampedAt, closing.StampedAt);

        // Closing again: already posted and completed; nothing changes.
        var again = await db.StampJournal.CloseAsync(close, Ct);
        Assert.Equal((TransferResult.Exists, false), (again.Post, again.Completed));

        // Another node took the lease: the quota is spent and the serial bound (the file exists), but only the holder completes.
        var stale = await db.StampJournal.CloseAsync(Close(lost, token: LedgerId.New()), Ct);
        Assert.Equal((TransferResult.Ok, false), (stale.Post, stale.Completed));
        Assert.Equal(SerialState.Stamped, (await db.Serials.GetAsync(lost.Serial, Ct))!.State);
        Assert.Equal(StampState.Processing, (await db.Stamps.GetAsync(lost.Id, Ct))!.State);
        var quota = await QuotaAsync(db, applicant);
        Assert.Equal((0L, 2L), (quota.DebitsPending, quota.DebitsPosted));

        // A posted reservation holds no new serial.
        var late = await db.StampJournal.ReserveSerialAsync(new SerialReservation(SerialNumber.New(), mine.PendingTransferId, mine.ChannelId, mine.ApplicantId), Ct);
        Assert.Equal(SerialRegistryErrors.PendingTransferNotPending, late.Error!.Code);
    }

    [Fact]
    public async Task A_closing_keeps_the_rectangle_an_automatic_placement_chose_and_leaves_a_given_one_as_it_was()
    {
        await using var db = await backend.OpenAsync();
        var applicant = await ApplicantAsync(db, 2);
        var auto = New(applicant) with { Placement = new StampPlacement(1, 0, 0, 0, 0) };
        var given = New(applicant);
        foreach (var r in new[] { auto, given }) await OpenAndReserveAsync(db, r);
        Assert.True((await db.Stamps.GetAsync(auto.Id, Ct))!.Placement.IsUnchosen);

        var chosen = new StampPlacement(1, 433.5, 124, 571.5, 214, StampPlacement.FreeSpot);
        var close = Close(auto);
        Assert.True((await db.StampJournal.CloseAsync(close with { Completion = close.Completion with { Placed = chosen } }, Ct)).Completed);
        Assert.True((await db.StampJournal.CloseAsync(Close(given), Ct)).Completed);

        Assert.Equal(chosen, (await db.Stamps.GetAsync(auto.Id, Ct))!.Placement);
        Assert.Equal(given.Placement, (await db.Stamps.GetAsync(given.Id, Ct))!.Placement);
    }

    [Fact]
    public async Task Many_stamps_at_once_open_and_close_as_they_would_one_by_one()
    {
        await using var db = await backend.OpenAsync();
        const int Stamps = 60;
        var applicants = new List<UInt128>();
        for (var i = 0; i < 4; i++) applicants.Add(await ApplicantAsync(db, i == 3 ? 5 : 20)); // 15 stamps each: the last one runs out
        var records = Enumerable.Range(0, Stamps).Select(i => New(applicants[i % 4])).ToList();

        var openings = await Task.WhenAll(records.Select(r => Task.Run(() => db.StampJournal.OpenAsync(r, Reservation(r), Ct), Ct)));
        Assert.All(openings, o => Assert.True(o.Created));
        Assert.Equal(Stamps - 10, openings.Count(o => o.Reserved));
        Assert.Equal(10, openings.Count(o => o.Reservation == TransferResult.ExceedsCredits));

        var held = records.Where((_, i) => openings[i].Reserved).ToList();
        var serials = await Task.WhenAll(held.Select(r => Task.Run(() => db.StampJournal.ReserveSerialAsync(new SerialReservation(r.Serial, r.PendingTransferId, r.ChannelId, r.ApplicantId), Ct), Ct)));
        Assert.All(serials, s => Assert.True(s.IsOk));
        var closings = await Task.WhenAll(held.Select(r => Task.Run(() => db.StampJournal.CloseAsync(Close(r), Ct), Ct)));
        Assert.All(closings, c => Assert.True(c.Completed));
        foreach (var r in held) Assert.Equal(StampState.Completed, (await db.Stamps.GetAsync(r.Id, Ct))!.State);
        Assert.Equal([15L, 15L, 15L, 5L], (await Task.WhenAll(applicants.Select(a => QuotaAsync(db, a)))).Select(a => a.DebitsPosted));
        Assert.True((await db.AuditAsync(Ct)).AllHold);
        if (db.StampJournal is PostgresStampJournal journal)
        {
            // They really shared transactions (and none had to be redone step by step).
            Assert.True(journal.Counts.Batches < 3 * Stamps - 20, $"{journal.Counts.Batches} batches for {3 * Stamps - 20} entries");
            Assert.Equal(0, journal.Counts.Fallbacks);
        }
    }

    [Fact]
    public async Task A_closing_that_cannot_bind_leaves_the_others_in_its_batch_completed()
    {
        await using var db = await backend.OpenAsync();
        var applicant = await ApplicantAsync(db, 10);
        var records = Enumerable.Range(0, 8).Select(_ => New(applicant)).ToList();
        foreach (var r in records) await OpenAndReserveAsync(db, r);

        // The first stamp's document is already bound to another serial: a document is stamped once, ever.
        var sha = RandomNumberGenerator.GetBytes(32);
        var other = New(applicant);
        await OpenAndReserveAsync(db, other);
        Assert.True((await db.StampJournal.CloseAsync(Close(other, sha), Ct)).Completed);

        var closings = await Task.WhenAll(records.Select((r, i) => Task.Run(() => db.StampJournal.CloseAsync(Close(r, i == 0 ? sha : null), Ct), Ct)));
        Assert.False(closings[0].Completed);
        Assert.Equal(SerialState.Reserved, (await db.Serials.GetAsync(records[0].Serial, Ct))!.State);
        Assert.All(closings.Skip(1), c => Assert.True(c.Completed));
        Assert.True((await db.AuditAsync(Ct)).AllHold);
        // On PostgreSQL the refused binding failed its whole batch, which was then decided entry by entry.
        if (db.StampJournal is PostgresStampJournal journal) Assert.True(journal.Counts.Fallbacks >= 1);
    }
}

public sealed class SqliteStampJournalTests(SqliteBackend backend) : StampJournalContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampJournalTests(PostgresBackend backend) : StampJournalContract(backend), IClassFixture<PostgresBackend>;
