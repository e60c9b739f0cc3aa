using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Storage.Tests.Ledger;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Serials;

/// <summary>What every <see cref="ISerialStore"/> must do, on SQLite and PostgreSQL.</summary>
public abstract class SerialStoreContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset StampTime = new(2024, 9, 2, 10, 30, 0, TimeSpan.Zero);

    /// <summary>A pending stamp reservation in the ledger, as the stamping flow makes one before reserving a serial.</summary>
    private static async Task<UInt128> PendingAsync(ILedgerStore ledger)
    {
        var user = await Ledger.Ledger.CreateQuotaHolderAsync(ledger, 5, Ct);
        var id = LedgerId.New();
        await Ledger.Ledger.ExpectOkAsync(ledger, Ct, new Transfer(id, user, SystemAccounts.Consumed.Id, 1, TransferCode.Stamp, TransferFlags.Pending));
        return id;
    }

    private static SerialStamp Stamp(UInt128 channel, byte[]? sha = null, int page = 1) => new(sha ?? RandomNumberGenerator.GetBytes(32), page, StampTime, channel);

    private static void AssertError(string code, Result<SerialRecord> r) => Assert.Equal(code, r.Error?.Code);

    [Fact]
    public async Task A_serial_is_reserved_then_stamped_forever_and_every_step_is_idempotent()
    {
        await using var db = await backend.OpenAsync();
        var pending = await PendingAsync(db.Ledger);
        var (channel, owner) = (LedgerId.New(), LedgerId.New());
        var reservation = new SerialReservation(SerialNumber.New(), pending, channel, owner);

        var reserved = await db.Serials.ReserveAsync(reservation, Ct);
        Assert.True(reserved.IsOk, reserved.Error?.ToString());
        Assert.Equal(SerialState.Reserved, reserved.Value.State);
        Assert.Equal(reserved.Value.ReservedAt, (await db.Serials.ReserveAsync(reservation, Ct)).Value.ReservedAt);

        var stamp = Stamp(channel, page: 3);
        var stamped = await db.Serials.StampAsync(reservation.Serial, stamp, Ct);
        Assert.True(stamped.IsOk, stamped.Error?.ToString());
        Assert.True((await db.Serials.StampAsync(reservation.Serial, stamp, Ct)).IsOk);

        var stored = await db.Serials.GetAsync(reservation.Serial, Ct);
        Assert.NotNull(stored);
        Assert.Equal((SerialState.Stamped, 3, StampTime, pending, channel, owner),
            (stored.State, stored.Page, stored.StampedAt, stored.PendingTransferId, stored.ChannelId, stored.OwnerId));
        Assert.Equal(stamp.DocumentSha256, stored.DocumentSha256);
        Assert.Equal(reservation.Serial, (await db.Serials.FindByDocumentAsync(stamp.DocumentSha256, Ct))?.Serial);
        Assert.Null(await db.Serials.FindByDocumentAsync(RandomNumberGenerator.GetBytes(32), Ct));
    }

    [Fact]
    public async Task Each_lifecycle_violation_has_its_own_code_and_writes_nothing()
    {
        await using var db = await backend.OpenAsync();
        var pending = await PendingAsync(db.Ledger);
        var channel = LedgerId.New();
        var stamped = new SerialReservation(SerialNumber.New(), pending, channel, LedgerId.New());
        var reserved = stamped with { Serial = SerialNumber.New() };
        var released = stamped with { Serial = SerialNumber.New() };
        foreach (var r in new[] { stamped, reserved, released }) Assert.True((await db.Serials.ReserveAsync(r, Ct)).IsOk);
        var document = RandomNumberGenerator.GetBytes(32);
        Assert.True((await db.Serials.StampAsync(stamped.Serial, Stamp(channel, document), Ct)).IsOk);
        Assert.True((await db.Serials.ReleaseAsync(released.Serial, Ct)).IsOk);
        Assert.True((await db.Serials.ReleaseAsync(released.Serial, Ct)).IsOk); // idempotent
        var before = await SnapshotAsync(db.Serials, stamped.Serial, reserved.Serial, released.Serial);

        var posted = await PendingAsync(db.Ledger);
        await Ledger.Ledger.ExpectOkAsync(db.Ledger, Ct, new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, posted));
        var unknown = SerialNumber.New();
        var cases = new (string Code, Func<Task<Result<SerialRecord>>> Call)[]
        {
            (SerialRegistryErrors.AlreadyReserved, () => db.Serials.ReserveAsync(reserved with { OwnerId = LedgerId.New() }, Ct)),
            (SerialRegistryErrors.AlreadyStamped, () => db.Serials.ReserveAsync(stamped, Ct)),
            (SerialRegistryErrors.Released, () => db.Serials.ReserveAsync(released, Ct)),
            (SerialRegistryErrors.PendingTransferNotFound, () => db.Serials.ReserveAsync(new SerialReservation(unknown, LedgerId.New(), channel, LedgerId.New()), Ct)),
            (SerialRegistryErrors.PendingTransferNotPending, () => db.Serials.ReserveAsync(new SerialReservation(unknown, posted, channel, LedgerId.New()), Ct)),
            (SerialRegistryErrors.NotFound, () => db.Serials.StampAsync(unknown, Stamp(channel), Ct)),
            (SerialRegistryErrors.AlreadyStamped, () => db.Serials.StampAsync(stamped.Serial, Stamp(channel), Ct)),
            (SerialRegistryErrors.AlreadyStamped, () => db.Serials.StampAsync(stamped.Serial, Stamp(channel, document, page: 2), Ct)),
            (SerialRegistryErrors.Released, () => db.Serials.StampAsync(released.Serial, Stamp(channel), Ct)),
            (SerialRegistryErrors.DocumentAlreadyStamped, () => db.Serials.StampAsync(reserved.Serial, Stamp(channel, document), Ct)),
            (SerialRegistryErrors.ChannelMismatch, () => db.Serials.StampAsync(reserved.Serial, Stamp(LedgerId.New()), Ct)),
            (SerialRegistryErrors.DocumentSha256Invalid, () => db.Serials.StampAsync(reserved.Serial, Stamp(channel, new byte[31]), Ct)),
            (SerialRegistryErrors.PageInvalid, () => db.Serials.StampAsync(reserved.Serial, Stamp(channel, page: 0), Ct)),
            (SerialRegistryErrors.NotFound, () => db.Serials.ReleaseAsync(unknown, Ct)),
            (SerialRegistryErrors.AlreadyStamped, () => db.Serials.ReleaseAsync(stamped.Serial, Ct)),
        };
        foreach (var (code, call) in cases) AssertError(code, await call());

        Assert.Equal(before, await SnapshotAsync(db.Serials, stamped.Serial, reserved.Serial, released.Serial));
        Assert.Null(await db.Serials.GetAsync(unknown, Ct));
    }

    [Theory]
    [InlineData("ABC", SerialErrors.InvalidLength)]
    [InlineData("0123456789ABCDEFGHIJ-K", SerialErrors.InvalidCharacter)]
    public async Task A_malformed_serial_is_refused_before_the_registry_and_the_database_refuses_it_too(string text, string code)
    {
        Assert.Equal(code, SerialNumber.Parse(text).Error?.Code);
        var good = SerialNumber.New().Value;
        var wrongCheck = good[..^1] + (good[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(SerialErrors.InvalidCheckCharacter, SerialNumber.Parse(wrongCheck).Error?.Code);

        await using var db = await backend.OpenAsync();
        var pending = await PendingAsync(db.Ledger);
        var serial = SerialNumber.New();
        Assert.True((await db.Serials.ReserveAsync(new SerialReservation(serial, pending, 1, 1), Ct)).IsOk);
        // Even raw SQL cannot store a serial outside [0-9A-Z]{22}.
        var e = await Record.ExceptionAsync(() => backend.ExecuteRawAsync($"UPDATE serials SET serial = '{text.Replace("'", "", StringComparison.Ordinal)}' WHERE serial = '{serial}'"));
        Assert.NotNull(e);
    }

    [Fact]
    public async Task The_database_keeps_a_stamped_serial_bound_even_against_raw_sql()
    {
        await using var db = await backend.OpenAsync();
        var pending = await PendingAsync(db.Ledger);
        var a = new SerialReservation(SerialNumber.New(), pending, 7, 8);
        var b = a with { Serial = SerialNumber.New() };
        Assert.True((await db.Serials.ReserveAsync(a, Ct)).IsOk);
        Assert.True((await db.Serials.ReserveAsync(b, Ct)).IsOk);
        Assert.True((await db.Serials.StampAsync(a.Serial, Stamp(7), Ct)).IsOk);

        string[] breaking =
        [
            $"UPDATE serials SET page = page + 1 WHERE serial = '{a.Serial}'",
            $"UPDATE serials SET document_sha256 = NULL, state = 1, page = NULL, stamped_at = NULL WHERE serial = '{a.Serial}'",
            $"DELETE FROM serials WHERE serial = '{a.Serial}'",
            // a second serial on the same document
            $"UPDATE serials SET state = 2, page = 1, stamped_at = reserved_at, document_sha256 = (SELECT document_sha256 FROM serials WHERE serial = '{a.Serial}') WHERE serial = '{b.Serial}'",
            // a stamp without its document
            $"UPDATE serials SET state = 2 WHERE serial = '{b.Serial}'",
            // a reservation moved to another transfer
            $"UPDATE serials SET pending_transfer_id = owner_id WHERE serial = '{b.Serial}'",
        ];
        foreach (var sql in breaking)
        {
            var e = await Record.ExceptionAsync(() => backend.ExecuteRawAsync(sql));
            Assert.True(e is not null, $"the database accepted: {sql}");
        }

        var audit = await db.Serials.AuditAsync(Ct);
        Assert.All(audit, c => Assert.True(c.Holds, c.Detail));
    }

    [Fact]
    public async Task Racing_stamps_on_two_nodes_bind_a_serial_and_a_document_once()
    {
        await using var node1 = await backend.OpenAsync();
        await using var node2 = await backend.OpenAsync();
        var pending = await PendingAsync(node1.Ledger);
        for (var round = 0; round < 10; round++)
        {
            var serials = Enumerable.Range(0, 4).Select(_ => new SerialReservation(SerialNumber.New(), pending, 5, 6)).ToArray();
            foreach (var s in serials) Assert.True((await node1.Serials.ReserveAsync(s, Ct)).IsOk);
            var document = RandomNumberGenerator.GetBytes(32);
            // Same serial, two documents; and four serials, one document.
            var results = await Task.WhenAll(
                node1.Serials.StampAsync(serials[0].Serial, Stamp(5, document), Ct),
                node2.Serials.StampAsync(serials[0].Serial, Stamp(5), Ct),
                node2.Serials.StampAsync(serials[1].Serial, Stamp(5, document), Ct),
                node1.Serials.StampAsync(serials[2].Serial, Stamp(5, document), Ct),
                node2.Serials.StampAsync(serials[3].Serial, Stamp(5, document), Ct));

            var holder = await node1.Serials.FindByDocumentAsync(document, Ct);
            Assert.NotNull(holder);
            Assert.Equal(1, results.Count(r => r.IsOk && r.Value.DocumentSha256!.AsSpan().SequenceEqual(document)));
            Assert.All(results.Where(r => !r.IsOk), r => Assert.Contains(r.Error!.Code, new[] { SerialRegistryErrors.AlreadyStamped, SerialRegistryErrors.DocumentAlreadyStamped }));
            var first = await node2.Serials.GetAsync(serials[0].Serial, Ct);
            Assert.Equal(SerialState.Stamped, first!.State);
        }

        var audit = await node2.Serials.AuditAsync(Ct);
        Assert.All(audit, c => Assert.True(c.Holds, c.Detail));
    }

    /// <summary>The records with the document hash as text (records compare byte arrays by reference).</summary>
    private static async Task<List<(SerialRecord? Record, string? Document)>> SnapshotAsync(ISerialStore store, params SerialNumber[] serials)
    {
        var list = new List<(SerialRecord?, string?)>();
        foreach (var s in serials)
        {
            var r = await store.GetAsync(s, Ct);
            list.Add((r is null ? null : r with { DocumentSha256 = null }, r?.DocumentSha256 is { } d ? Convert.ToHexString(d) : null));
        }

        return list;
    }
}

public sealed class SqliteSerialStoreTests(SqliteBackend backend) : SerialStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresSerialStoreTests(PostgresBackend backend) : SerialStoreContract(backend), IClassFixture<PostgresBackend>;
