using Meterai.Core.Ledger;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Ledger;

/// <summary>
/// What every <see cref="ILedgerStore"/> must do, run against SQLite and PostgreSQL
/// (<see cref="SqliteLedgerStoreTests"/>, <see cref="PostgresLedgerStoreTests"/>). Each test makes its own accounts,
/// so tests share the class's database without seeing each other.
/// </summary>
public abstract class LedgerStoreContract(DatabaseBackend backend)
{
    protected DatabaseBackend Backend { get; } = backend;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, TransferResult> BadInputs => new()
    {
        { "amount_zero", TransferResult.AmountMustBePositive },
        { "amount_negative", TransferResult.AmountMustBePositive },
        { "id_zero", TransferResult.IdMustNotBeZero },
        { "flags_unknown", TransferResult.FlagsInvalid },
        { "flags_pending_and_post", TransferResult.FlagsAreMutuallyExclusive },
        { "pending_id_on_single_phase", TransferResult.PendingIdMustBeZero },
        { "timeout_on_single_phase", TransferResult.TimeoutReservedForPendingTransfer },
        { "code_zero", TransferResult.CodeMustNotBeZero },
        { "same_accounts", TransferResult.AccountsMustBeDifferent },
        { "unknown_debit_account", TransferResult.DebitAccountNotFound },
        { "unknown_credit_account", TransferResult.CreditAccountNotFound },
        { "closed_debit_account", TransferResult.DebitAccountClosed },
        { "closed_credit_account", TransferResult.CreditAccountClosed },
        { "overdraft", TransferResult.ExceedsCredits },
        { "overdraft_by_reservation", TransferResult.ExceedsCredits },
        { "credit_limit", TransferResult.ExceedsDebits },
        { "id_reused_with_other_body", TransferResult.TransferIdReused },
        { "post_unknown_pending", TransferResult.PendingTransferNotFound },
        { "void_unknown_pending", TransferResult.PendingTransferNotFound },
        { "post_pending_id_zero", TransferResult.PendingIdMustNotBeZero },
        { "post_itself", TransferResult.PendingIdMustBeDifferent },
        { "post_single_phase_transfer", TransferResult.PendingTransferNotPending },
        { "post_already_posted", TransferResult.PendingTransferAlreadyPosted },
        { "void_already_posted", TransferResult.PendingTransferAlreadyPosted },
        { "post_already_voided", TransferResult.PendingTransferAlreadyVoided },
        { "void_already_voided", TransferResult.PendingTransferAlreadyVoided },
        { "post_after_timeout", TransferResult.PendingTransferExpired },
        { "post_other_debit_account", TransferResult.PendingTransferHasDifferentDebitAccount },
        { "post_other_credit_account", TransferResult.PendingTransferHasDifferentCreditAccount },
        { "post_other_code", TransferResult.PendingTransferHasDifferentCode },
        { "void_other_amount", TransferResult.PendingTransferHasDifferentAmount },
        { "post_more_than_reserved", TransferResult.ExceedsPendingTransferAmount },
        { "post_negative_amount", TransferResult.AmountMustNotBeNegative },
        { "post_with_timeout", TransferResult.TimeoutReservedForPendingTransfer },
        { "linked_chain_never_closed", TransferResult.LinkedEventChainOpen },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gets_its_own_code_and_writes_nothing(string name, TransferResult expected)
    {
        var clock = new ManualClock();
        await using var db = await Backend.OpenAsync(clock);
        var s = await LedgerScenario.CreateAsync(db.Ledger, Ct);
        var id = LedgerId.New();
        var (h, p, a) = (s.Holder, s.Plain, LedgerScenario.PendingAmount);
        const TransferFlags post = TransferFlags.PostPendingTransfer;
        const TransferFlags @void = TransferFlags.VoidPendingTransfer;
        var transfer = name switch
        {
            "amount_zero" => new Transfer(id, h, p, 0, TransferCode.Sale),
            "amount_negative" => new Transfer(id, h, p, -5, TransferCode.Sale),
            "id_zero" => new Transfer(0, h, p, 1, TransferCode.Sale),
            "flags_unknown" => new Transfer(id, h, p, 1, TransferCode.Sale, (TransferFlags)64),
            "flags_pending_and_post" => new Transfer(id, h, p, 1, TransferCode.Sale, TransferFlags.Pending | post, s.Pending),
            "pending_id_on_single_phase" => new Transfer(id, h, p, 1, TransferCode.Sale, PendingId: s.Pending),
            "timeout_on_single_phase" => new Transfer(id, h, p, 1, TransferCode.Sale, TimeoutSeconds: 5),
            "code_zero" => new Transfer(id, h, p, 1, 0),
            "same_accounts" => new Transfer(id, h, h, 1, TransferCode.Sale),
            "unknown_debit_account" => new Transfer(id, LedgerId.New(), p, 1, TransferCode.Sale),
            "unknown_credit_account" => new Transfer(id, h, LedgerId.New(), 1, TransferCode.Sale),
            "closed_debit_account" => new Transfer(id, s.Closed, p, 1, TransferCode.Sale),
            "closed_credit_account" => new Transfer(id, h, s.Closed, 1, TransferCode.Sale),
            "overdraft" => new Transfer(id, h, p, LedgerScenario.Funds, TransferCode.Sale),
            "overdraft_by_reservation" => new Transfer(id, h, p, LedgerScenario.Funds, TransferCode.Stamp, TransferFlags.Pending),
            "credit_limit" => new Transfer(id, p, s.CreditLimited, 1, TransferCode.Refund),
            "id_reused_with_other_body" => new Transfer(s.SinglePhase, h, p, 2, TransferCode.Sale),
            "post_unknown_pending" => new Transfer(id, 0, 0, 0, 0, post, LedgerId.New()),
            "void_unknown_pending" => new Transfer(id, 0, 0, 0, 0, @void, LedgerId.New()),
            "post_pending_id_zero" => new Transfer(id, 0, 0, 0, 0, post),
            "post_itself" => new Transfer(id, 0, 0, 0, 0, post, id),
            "post_single_phase_transfer" => new Transfer(id, 0, 0, 0, 0, post, s.SinglePhase),
            "post_already_posted" => new Transfer(id, 0, 0, 0, 0, post, s.Posted),
            "void_already_posted" => new Transfer(id, 0, 0, 0, 0, @void, s.Posted),
            "post_already_voided" => new Transfer(id, 0, 0, 0, 0, post, s.Voided),
            "void_already_voided" => new Transfer(id, 0, 0, 0, 0, @void, s.Voided),
            "post_after_timeout" => new Transfer(id, 0, 0, 0, 0, post, s.Expiring),
            "post_other_debit_account" => new Transfer(id, p, 0, 0, 0, post, s.Pending),
            "post_other_credit_account" => new Transfer(id, 0, h, 0, 0, post, s.Pending),
            "post_other_code" => new Transfer(id, 0, 0, 0, TransferCode.Sale, post, s.Pending),
            "void_other_amount" => new Transfer(id, 0, 0, a - 1, 0, @void, s.Pending),
            "post_more_than_reserved" => new Transfer(id, 0, 0, a + 1, 0, post, s.Pending),
            "post_negative_amount" => new Transfer(id, 0, 0, -1, 0, post, s.Pending),
            "post_with_timeout" => new Transfer(id, 0, 0, 0, 0, post, s.Pending, TimeoutSeconds: 5),
            "linked_chain_never_closed" => new Transfer(id, h, p, 1, TransferCode.Sale, TransferFlags.Linked),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        if (name == "post_after_timeout") clock.Advance(TimeSpan.FromSeconds(LedgerScenario.ExpiringTimeout));

        var pendings = new[] { s.SinglePhase, s.Pending, s.Posted, s.Voided, s.Expiring };
        var accountsBefore = await Ledger.SnapshotAsync(db.Ledger, s.Accounts, Ct);
        var transfersBefore = (await db.Ledger.LookupTransfersAsync(pendings, Ct)).ToDictionary(t => t.Id);

        var result = Assert.Single(await db.Ledger.CreateTransfersAsync([transfer], Ct));

        Assert.True(result == expected, $"{name}: expected {expected.Code()}, got {result.Code()}");
        Assert.Equal(accountsBefore, await Ledger.SnapshotAsync(db.Ledger, s.Accounts, Ct));
        Assert.Equal(transfersBefore, (await db.Ledger.LookupTransfersAsync(pendings, Ct)).ToDictionary(t => t.Id));
        if (transfer.Id != s.SinglePhase) Assert.Empty(await db.Ledger.LookupTransfersAsync([transfer.Id], Ct));
    }

    [Fact]
    public async Task A_single_phase_transfer_moves_quota_and_is_recorded()
    {
        var clock = new ManualClock();
        await using var db = await Backend.OpenAsync(clock);
        var from = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var to = await Ledger.CreateQuotaHolderAsync(db.Ledger, 0, Ct);
        var t = new Transfer(LedgerId.New(), from, to, 4, TransferCode.Sale);

        Assert.Equal([TransferResult.Ok], await db.Ledger.CreateTransfersAsync([t], Ct));

        Assert.Equal(6, (await Ledger.AccountAsync(db.Ledger, from, Ct)).Available);
        var credited = await Ledger.AccountAsync(db.Ledger, to, Ct);
        Assert.Equal(4, credited.CreditsPosted);
        Assert.Equal(4, credited.Available);
        var stored = await Ledger.TransferAsync(db.Ledger, t.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(t, stored.Transfer);
        Assert.Equal(clock.UtcNow, stored.Timestamp);
        Assert.Equal(PendingState.None, stored.PendingState);
    }

    [Fact]
    public async Task A_replay_with_the_same_body_answers_exists_and_applies_once()
    {
        await using var db = await Backend.OpenAsync();
        var from = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var to = await Ledger.CreateQuotaHolderAsync(db.Ledger, 0, Ct);
        var t = new Transfer(LedgerId.New(), from, to, 3, TransferCode.Sale);

        Assert.Equal([TransferResult.Ok], await db.Ledger.CreateTransfersAsync([t], Ct));
        Assert.Equal([TransferResult.Exists], await db.Ledger.CreateTransfersAsync([t], Ct));
        // Inside one request too: the second copy sees the first.
        var u = t with { Id = LedgerId.New() };
        Assert.Equal([TransferResult.Ok, TransferResult.Exists, TransferResult.TransferIdReused],
            await db.Ledger.CreateTransfersAsync([u, u, u with { Amount = 1 }], Ct));

        Assert.Equal(4, (await Ledger.AccountAsync(db.Ledger, from, Ct)).Available);
        Assert.Equal(6, (await Ledger.AccountAsync(db.Ledger, to, Ct)).CreditsPosted);
    }

    [Fact]
    public async Task A_replayed_post_with_zero_fields_is_the_same_body()
    {
        await using var db = await Backend.OpenAsync();
        var from = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var to = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var pending = new Transfer(LedgerId.New(), from, to, 5, TransferCode.Stamp, TransferFlags.Pending);
        var post = new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, pending.Id);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, pending, post);

        Assert.Equal([TransferResult.Exists], await db.Ledger.CreateTransfersAsync([post], Ct));
        Assert.Equal([TransferResult.Exists], await db.Ledger.CreateTransfersAsync([post with { DebitAccountId = from, Amount = 5, Code = TransferCode.Stamp }], Ct));
        Assert.Equal([TransferResult.TransferIdReused], await db.Ledger.CreateTransfersAsync([post with { Amount = 4 }], Ct));
        var stored = await Ledger.TransferAsync(db.Ledger, post.Id, Ct);
        Assert.Equal(new Transfer(post.Id, from, to, 5, TransferCode.Stamp, TransferFlags.PostPendingTransfer, pending.Id), stored!.Transfer);
    }

    [Fact]
    public async Task A_linked_chain_commits_all_or_nothing()
    {
        await using var db = await Backend.OpenAsync();
        var a = await Ledger.CreateQuotaHolderAsync(db.Ledger, 5, Ct);
        var b = await Ledger.CreateQuotaHolderAsync(db.Ledger, 0, Ct);
        var c = await Ledger.CreateQuotaHolderAsync(db.Ledger, 0, Ct);
        const TransferFlags linked = TransferFlags.Linked;
        var failing = new[]
        {
            new Transfer(LedgerId.New(), a, b, 5, TransferCode.Sale, linked),
            new Transfer(LedgerId.New(), b, c, 5, TransferCode.Sale, linked),
            new Transfer(LedgerId.New(), b, c, 1, TransferCode.Sale), // b is empty again: overdraft ends the chain
        };
        var before = await Ledger.SnapshotAsync(db.Ledger, [a, b, c], Ct);

        Assert.Equal([TransferResult.LinkedEventFailed, TransferResult.LinkedEventFailed, TransferResult.ExceedsCredits],
            await db.Ledger.CreateTransfersAsync(failing, Ct));
        Assert.Equal(before, await Ledger.SnapshotAsync(db.Ledger, [a, b, c], Ct));
        Assert.Empty(await db.Ledger.LookupTransfersAsync(failing.Select(t => t.Id).ToList(), Ct));

        // A chain, then an independent transfer in the same request: the chain's failure does not touch it.
        var chain = new[]
        {
            new Transfer(LedgerId.New(), a, b, 2, TransferCode.Sale, linked),
            new Transfer(LedgerId.New(), b, c, 2, TransferCode.Sale),
            new Transfer(LedgerId.New(), a, c, 9, TransferCode.Sale, linked),
            new Transfer(LedgerId.New(), a, b, 1, TransferCode.Sale),
            new Transfer(LedgerId.New(), a, c, 1, TransferCode.Sale),
        };
        Assert.Equal([TransferResult.Ok, TransferResult.Ok, TransferResult.ExceedsCredits, TransferResult.LinkedEventFailed, TransferResult.Ok],
            await db.Ledger.CreateTransfersAsync(chain, Ct));
        // Retrying a committed chain answers exists for each member.
        Assert.Equal([TransferResult.Exists, TransferResult.Exists], await db.Ledger.CreateTransfersAsync(chain[..2], Ct));
        Assert.Equal(2, (await Ledger.AccountAsync(db.Ledger, a, Ct)).Available);
        Assert.Equal(0, (await Ledger.AccountAsync(db.Ledger, b, Ct)).Available);
        Assert.Equal(3, (await Ledger.AccountAsync(db.Ledger, c, Ct)).Available);
    }

    [Fact]
    public async Task Two_phase_reserves_then_posts_part_and_releases_the_rest_or_voids()
    {
        await using var db = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var consumed = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var p1 = new Transfer(LedgerId.New(), user, consumed, 4, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 300);
        var p2 = new Transfer(LedgerId.New(), user, consumed, 3, TransferCode.Stamp, TransferFlags.Pending);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, p1, p2);

        var reserved = await Ledger.AccountAsync(db.Ledger, user, Ct);
        Assert.Equal((7L, 0L, 3L), (reserved.DebitsPending, reserved.DebitsPosted, reserved.Available));
        Assert.Equal(PendingState.Pending, (await Ledger.TransferAsync(db.Ledger, p1.Id, Ct))!.PendingState);

        var post = new Transfer(LedgerId.New(), user, consumed, 1, TransferCode.Stamp, TransferFlags.PostPendingTransfer, p1.Id);
        var @void = new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, p2.Id);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, post, @void);

        var after = await Ledger.AccountAsync(db.Ledger, user, Ct);
        Assert.Equal((0L, 1L, 9L), (after.DebitsPending, after.DebitsPosted, after.Available));
        var sink = await Ledger.AccountAsync(db.Ledger, consumed, Ct);
        Assert.Equal((0L, 1L), (sink.CreditsPending, sink.CreditsPosted));
        Assert.Equal(PendingState.Posted, (await Ledger.TransferAsync(db.Ledger, p1.Id, Ct))!.PendingState);
        Assert.Equal(PendingState.Voided, (await Ledger.TransferAsync(db.Ledger, p2.Id, Ct))!.PendingState);

        // Resolved at most once: a second post or void with a new id is refused.
        Assert.Equal([TransferResult.PendingTransferAlreadyPosted, TransferResult.PendingTransferAlreadyVoided],
            await db.Ledger.CreateTransfersAsync(
                [post with { Id = LedgerId.New(), Amount = 0 }, @void with { Id = LedgerId.New(), Flags = TransferFlags.PostPendingTransfer }], Ct));
        await Ledger.AssertAuditHoldsAsync(db.Ledger, Ct);
    }

    [Fact]
    public async Task A_pending_transfer_and_its_post_in_one_request_apply_in_order()
    {
        await using var db = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(db.Ledger, 2, Ct);
        var sink = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var p = new Transfer(LedgerId.New(), user, sink, 2, TransferCode.Stamp, TransferFlags.Pending | TransferFlags.Linked);
        var post = new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, p.Id);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, p, post);
        Assert.Equal(PendingState.Posted, (await Ledger.TransferAsync(db.Ledger, p.Id, Ct))!.PendingState);
        Assert.Equal(2, (await Ledger.AccountAsync(db.Ledger, sink, Ct)).CreditsPosted);
    }

    [Fact]
    public async Task Timeouts_expire_through_the_sweeper_once_and_a_late_post_is_refused()
    {
        var clock = new ManualClock();
        await using var db = await Backend.OpenAsync(clock);
        var user = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var sink = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var soon = new Transfer(LedgerId.New(), user, sink, 2, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 10);
        var later = new Transfer(LedgerId.New(), user, sink, 3, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 1000);
        var lateVoid = new Transfer(LedgerId.New(), user, sink, 1, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 10);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, soon, later, lateVoid);
        var sweeper = new PendingTransferSweeper(db.Ledger, clock);
        await sweeper.SweepOnceAsync(Ct); // nothing is due yet (other tests' due rows may be, they are not ours)
        Assert.Equal(PendingState.Pending, (await Ledger.TransferAsync(db.Ledger, soon.Id, Ct))!.PendingState);

        clock.Advance(TimeSpan.FromSeconds(10));
        // At the timeout: a post is refused, a void goes through and counts as the expiry.
        Assert.Equal([TransferResult.PendingTransferExpired],
            await db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, soon.Id)], Ct));
        await Ledger.ExpectOkAsync(db.Ledger, Ct, new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, lateVoid.Id));
        Assert.Equal(PendingState.Expired, (await Ledger.TransferAsync(db.Ledger, lateVoid.Id, Ct))!.PendingState);

        await sweeper.SweepOnceAsync(Ct);
        Assert.Equal(0, await db.Ledger.ExpireDuePendingTransfersAsync(clock.UtcNow, 1000, Ct));

        var expired = await Ledger.TransferAsync(db.Ledger, soon.Id, Ct);
        Assert.Equal(PendingState.Expired, expired!.PendingState);
        var voidRecord = await Ledger.TransferAsync(db.Ledger, LedgerId.ExpiryVoidFor(soon.Id), Ct);
        Assert.NotNull(voidRecord);
        Assert.Equal(TransferFlags.VoidPendingTransfer, voidRecord.Transfer.Flags);
        Assert.Equal(PendingState.Pending, (await Ledger.TransferAsync(db.Ledger, later.Id, Ct))!.PendingState);
        var account = await Ledger.AccountAsync(db.Ledger, user, Ct);
        Assert.Equal((3L, 7L), (account.DebitsPending, account.Available));
        Assert.Equal([TransferResult.PendingTransferExpired, TransferResult.PendingTransferExpired],
            await db.Ledger.CreateTransfersAsync(
            [
                new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, soon.Id),
                new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, soon.Id),
            ], Ct));
        await Ledger.AssertAuditHoldsAsync(db.Ledger, Ct);
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_expire_each_reservation_exactly_once()
    {
        var clock = new ManualClock();
        await using var node1 = await Backend.OpenAsync(clock);
        await using var node2 = await Backend.OpenAsync(clock);
        var user = await Ledger.CreateQuotaHolderAsync(node1.Ledger, 1000, Ct);
        var sink = await Ledger.CreateAccountAsync(node1.Ledger, AccountFlags.None, Ct);
        var pendings = Enumerable.Range(0, 300)
            .Select(_ => new Transfer(LedgerId.New(), user, sink, 1, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 5)).ToArray();
        await Ledger.ExpectOkAsync(node1.Ledger, Ct, pendings);
        clock.Advance(TimeSpan.FromSeconds(6));

        var sweeps = await Task.WhenAll(
            new PendingTransferSweeper(node1.Ledger, clock, batchSize: 40).SweepOnceAsync(Ct),
            new PendingTransferSweeper(node2.Ledger, clock, batchSize: 40).SweepOnceAsync(Ct),
            new PendingTransferSweeper(node1.Ledger, clock, batchSize: 40).SweepOnceAsync(Ct));

        Assert.True(sweeps.Sum() >= pendings.Length, $"swept {sweeps.Sum()}"); // other tests' due reservations may be swept too
        var states = await node2.Ledger.LookupTransfersAsync(pendings.Select(p => p.Id).ToList(), Ct);
        Assert.All(states, s => Assert.Equal(PendingState.Expired, s.PendingState));
        Assert.Equal(pendings.Length, (await node2.Ledger.LookupTransfersAsync(pendings.Select(p => LedgerId.ExpiryVoidFor(p.Id)).ToList(), Ct)).Count);
        Assert.Equal((0L, 1000L), ((await Ledger.AccountAsync(node2.Ledger, user, Ct)).DebitsPending, (await Ledger.AccountAsync(node2.Ledger, user, Ct)).Available));
        await Ledger.AssertAuditHoldsAsync(node2.Ledger, Ct);
    }

    [Fact]
    public async Task Concurrent_submitters_on_two_nodes_never_overdraw_a_hot_account()
    {
        await using var node1 = await Backend.OpenAsync();
        await using var node2 = await Backend.OpenAsync();
        var hot = await Ledger.CreateQuotaHolderAsync(node1.Ledger, 100, Ct);
        var sinks = new List<UInt128>();
        for (var i = 0; i < 8; i++) sinks.Add(await Ledger.CreateAccountAsync(node1.Ledger, AccountFlags.None, Ct));

        // 300 debits of 1 against 100 stamps, from 2 nodes × 16 submitters, some as pending reservations.
        var transfers = Enumerable.Range(0, 300).Select(i => new Transfer(
            LedgerId.New(), hot, sinks[i % sinks.Count], 1, TransferCode.Stamp, i % 3 == 0 ? TransferFlags.Pending : TransferFlags.None)).ToArray();
        var results = new TransferResult[transfers.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, transfers.Length), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct },
            async (i, ct) =>
            {
                var node = i % 2 == 0 ? node1 : node2;
                results[i] = Assert.Single(await node.Ledger.CreateTransfersAsync([transfers[i]], ct));
            });

        Assert.Equal(100, results.Count(r => r == TransferResult.Ok));
        Assert.Equal(200, results.Count(r => r == TransferResult.ExceedsCredits));
        var account = await Ledger.AccountAsync(node2.Ledger, hot, Ct);
        Assert.Equal(0, account.Available);
        Assert.Equal(100, account.DebitsPosted + account.DebitsPending);
        Assert.Equal(100, (await node1.Ledger.LookupTransfersAsync(transfers.Select(t => t.Id).ToList(), Ct)).Count);
        await Ledger.AssertAuditHoldsAsync(node1.Ledger, Ct);
    }

    [Fact]
    public async Task Racing_resolutions_of_one_pending_transfer_on_two_nodes_let_exactly_one_win()
    {
        await using var node1 = await Backend.OpenAsync();
        await using var node2 = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(node1.Ledger, 50, Ct);
        var sink = await Ledger.CreateAccountAsync(node1.Ledger, AccountFlags.None, Ct);
        var pendings = Enumerable.Range(0, 20).Select(_ => new Transfer(LedgerId.New(), user, sink, 2, TransferCode.Stamp, TransferFlags.Pending)).ToArray();
        await Ledger.ExpectOkAsync(node1.Ledger, Ct, pendings);

        foreach (var p in pendings)
        {
            var attempts = Enumerable.Range(0, 6).Select(i => new Transfer(LedgerId.New(), 0, 0, 0, 0,
                i % 2 == 0 ? TransferFlags.PostPendingTransfer : TransferFlags.VoidPendingTransfer, p.Id)).ToArray();
            var results = await Task.WhenAll(attempts.Select((t, i) => (i % 2 == 0 ? node1 : node2).Ledger.CreateTransfersAsync([t], Ct)));
            var flat = results.Select(r => r[0]).ToArray();
            Assert.Equal(1, flat.Count(r => r == TransferResult.Ok));
            var winner = attempts[Array.IndexOf(flat, TransferResult.Ok)];
            var loserCode = winner.Flags == TransferFlags.PostPendingTransfer ? TransferResult.PendingTransferAlreadyPosted : TransferResult.PendingTransferAlreadyVoided;
            Assert.All(flat.Where(r => r != TransferResult.Ok), r => Assert.Equal(loserCode, r));
        }

        await Ledger.AssertAuditHoldsAsync(node2.Ledger, Ct);
    }

    [Fact]
    public async Task The_same_new_id_submitted_on_two_nodes_at_once_commits_once()
    {
        await using var node1 = await Backend.OpenAsync();
        await using var node2 = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(node1.Ledger, 1000, Ct);
        var sink = await Ledger.CreateAccountAsync(node1.Ledger, AccountFlags.None, Ct);
        for (var round = 0; round < 20; round++)
        {
            var t = new Transfer(LedgerId.New(), user, sink, 1, TransferCode.Sale);
            var other = t with { Amount = 2 };
            var results = (await Task.WhenAll(
                node1.Ledger.CreateTransfersAsync([t], Ct), node2.Ledger.CreateTransfersAsync([t], Ct),
                node1.Ledger.CreateTransfersAsync([other], Ct), node2.Ledger.CreateTransfersAsync([t], Ct))).Select(r => r[0]).ToArray();
            Assert.Equal(1, results.Count(r => r == TransferResult.Ok));
            var stored = (await Ledger.TransferAsync(node1.Ledger, t.Id, Ct))!.Transfer;
            // Whichever body won, every other submission answers relative to it.
            for (var i = 0; i < results.Length; i++)
            {
                var body = i == 2 ? other : t;
                if (results[i] == TransferResult.Ok) Assert.Equal(body, stored);
                else Assert.Equal(body == stored ? TransferResult.Exists : TransferResult.TransferIdReused, results[i]);
            }
        }

        await Ledger.AssertAuditHoldsAsync(node1.Ledger, Ct);
    }

    [Fact]
    public async Task Closing_an_account_refuses_new_transfers_but_lets_its_reservations_be_released()
    {
        await using var db = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(db.Ledger, 10, Ct);
        var sink = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var p1 = new Transfer(LedgerId.New(), user, sink, 2, TransferCode.Stamp, TransferFlags.Pending);
        var p2 = new Transfer(LedgerId.New(), user, sink, 2, TransferCode.Stamp, TransferFlags.Pending);
        await Ledger.ExpectOkAsync(db.Ledger, Ct, p1, p2);

        var closed = await db.Ledger.CloseAccountAsync(user, Ct);
        Assert.True(closed.IsOk);
        Assert.True(closed.Value.IsClosed);
        Assert.True((await db.Ledger.CloseAccountAsync(user, Ct)).IsOk); // idempotent
        var missing = await db.Ledger.CloseAccountAsync(LedgerId.New(), Ct);
        Assert.Equal(LedgerErrors.AccountNotFound, missing.Error?.Code);

        Assert.Equal([TransferResult.DebitAccountClosed, TransferResult.DebitAccountClosed, TransferResult.Ok],
            await db.Ledger.CreateTransfersAsync(
            [
                new Transfer(LedgerId.New(), user, sink, 1, TransferCode.Sale),
                new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, p1.Id),
                new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, p2.Id),
            ], Ct));
        var account = await Ledger.AccountAsync(db.Ledger, user, Ct);
        Assert.Equal((2L, AccountFlags.DebitsMustNotExceedCredits | AccountFlags.Closed), (account.DebitsPending, account.Flags));
    }

    [Fact]
    public async Task Accounts_are_created_once_and_bad_definitions_get_their_own_codes()
    {
        await using var db = await Backend.OpenAsync();
        var good = new NewAccount(LedgerId.New(), OwnerKind.Channel, LedgerId.New(), AccountCode.ChannelDeposit, AccountFlags.DebitsMustNotExceedCredits);
        var bad = new[]
        {
            (good with { Id = 0 }, CreateAccountResult.IdMustNotBeZero),
            (good with { Id = LedgerId.New(), Flags = AccountFlags.Closed }, CreateAccountResult.FlagsInvalid),
            (good with { Id = LedgerId.New(), Flags = (AccountFlags)32 }, CreateAccountResult.FlagsInvalid),
            (good with { Id = LedgerId.New(), Flags = AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits }, CreateAccountResult.FlagsAreMutuallyExclusive),
            (good with { Id = LedgerId.New(), OwnerKind = (OwnerKind)9 }, CreateAccountResult.OwnerKindInvalid),
            (good with { Id = LedgerId.New(), Code = 0 }, CreateAccountResult.CodeMustNotBeZero),
        };

        Assert.Equal([CreateAccountResult.Ok, CreateAccountResult.Exists], await db.Ledger.CreateAccountsAsync([good, good], Ct));
        Assert.Equal([CreateAccountResult.Exists, CreateAccountResult.AccountIdReused],
            await db.Ledger.CreateAccountsAsync([good, good with { Code = AccountCode.UserQuota }], Ct));
        Assert.Equal(bad.Select(b => b.Item2), await db.Ledger.CreateAccountsAsync(bad.Select(b => b.Item1).ToList(), Ct));
        Assert.Empty(await db.Ledger.LookupAccountsAsync(bad.Select(b => b.Item1.Id).Where(id => id != 0).ToList(), Ct));
        var stored = await Ledger.AccountAsync(db.Ledger, good.Id, Ct);
        Assert.Equal((good.OwnerKind, good.OwnerId, good.Code, good.Flags, 0L), (stored.OwnerKind, stored.OwnerId, stored.Code, stored.Flags, stored.CreditsPosted));
    }

    [Fact]
    public async Task The_system_accounts_exist_after_opening()
    {
        await using var db = await Backend.OpenAsync();
        var found = await db.Ledger.LookupAccountsAsync(SystemAccounts.All.Select(a => a.Id).ToList(), Ct);
        Assert.Equal(SystemAccounts.All.Count, found.Count);
        Assert.All(found, a => Assert.Equal(OwnerKind.System, a.OwnerKind));
    }

    [Fact]
    public async Task The_database_refuses_writes_that_would_break_an_invariant()
    {
        await using var db = await Backend.OpenAsync();
        _ = await LedgerScenario.CreateAsync(db.Ledger, Ct);
        // Raw SQL, as a bug or an operator's hand would write it: every one must fail.
        string[] breaking =
        [
            "UPDATE transfers SET amount = amount + 1",
            "DELETE FROM transfers",
            "UPDATE transfers SET pending_state = 1 WHERE pending_state IN (2, 3)",
            "UPDATE accounts SET debits_posted = credits_posted + 1 WHERE flags & 1 <> 0",
            "UPDATE accounts SET credits_pending = -1",
            "INSERT INTO transfers SELECT * FROM transfers WHERE pending_id IS NOT NULL",
        ];
        foreach (var sql in breaking)
        {
            var e = await Record.ExceptionAsync(() => Backend.ExecuteRawAsync(sql));
            Assert.True(e is not null, $"the database accepted: {sql}");
        }

        await Ledger.AssertAuditHoldsAsync(db.Ledger, Ct);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_lose_a_committed_transfer()
    {
        await using var db = await Backend.OpenAsync();
        var user = await Ledger.CreateQuotaHolderAsync(db.Ledger, 5, Ct);
        var sink = await Ledger.CreateAccountAsync(db.Ledger, AccountFlags.None, Ct);
        var t = new Transfer(LedgerId.New(), user, sink, 1, TransferCode.Sale);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Ledger.CreateTransfersAsync([t], cancelled.Token));
        // The request may or may not have committed; a retry with the same id settles it exactly once.
        var retry = Assert.Single(await db.Ledger.CreateTransfersAsync([t], Ct));
        Assert.True(retry.IsCommitted());
        Assert.Equal(4, (await Ledger.AccountAsync(db.Ledger, user, Ct)).Available);
    }
}

public sealed class SqliteLedgerStoreTests(SqliteBackend backend) : LedgerStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresLedgerStoreTests(PostgresBackend backend) : LedgerStoreContract(backend), IClassFixture<PostgresBackend>;
