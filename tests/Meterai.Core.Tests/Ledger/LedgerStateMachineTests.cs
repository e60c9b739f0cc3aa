using Meterai.Core.Common;
using Meterai.Core.Ledger;

namespace Meterai.Core.Tests.Ledger;

/// <summary>The rules themselves, without a database: what the stores' contract tests cannot reach cheaply.</summary>
public class LedgerStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2024, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private static Account Acc(UInt128 id, AccountFlags flags = AccountFlags.None, long credits = 0, long debits = 0) =>
        new(id, OwnerKind.User, 0, AccountCode.UserQuota, flags, 0, debits, 0, credits, Now);

    private static LedgerBatchOutcome Apply(IEnumerable<Account> accounts, IEnumerable<TransferRecord> transfers, params Transfer[][] requests) =>
        LedgerStateMachine.Apply(requests, accounts.ToDictionary(a => a.Id), transfers.ToDictionary(t => t.Id), Now);

    [Fact]
    public void Balances_that_would_overflow_are_refused()
    {
        var outcome = Apply([Acc(1, debits: long.MaxValue - 1), Acc(2, credits: long.MaxValue - 1), Acc(3)], [],
            [new Transfer(10, 1, 3, 2, 1), new Transfer(11, 3, 2, 2, 1), new Transfer(12, 1, 3, 1, 1)]);
        Assert.Equal([TransferResult.OverflowsDebits, TransferResult.OverflowsCredits, TransferResult.Ok], outcome.Results[0]);
    }

    [Fact]
    public void A_failing_chain_undoes_a_resolution_it_made_and_writes_nothing()
    {
        var pending = new TransferRecord(new Transfer(5, 1, 2, 4, 1, TransferFlags.Pending), Now, null, PendingState.Pending);
        var accounts = new[] { Acc(1, AccountFlags.DebitsMustNotExceedCredits, credits: 10) with { DebitsPending = 4 }, Acc(2) with { CreditsPending = 4 } };
        var outcome = Apply(accounts, [pending],
        [
            new Transfer(20, 0, 0, 0, 0, TransferFlags.PostPendingTransfer | TransferFlags.Linked, 5),
            new Transfer(21, 1, 2, 7, 1), // 10 credits − 4 posted: 6 left, 7 is too much
        ]);
        Assert.Equal([TransferResult.LinkedEventFailed, TransferResult.ExceedsCredits], outcome.Results[0]);
        Assert.Empty(outcome.Inserted);
        Assert.Empty(outcome.Resolved);
        Assert.Empty(outcome.ChangedAccounts);

        // The same pending transfer can then be posted in a later request of the same batch.
        var again = Apply(accounts, [pending],
            [new Transfer(20, 0, 0, 0, 0, TransferFlags.PostPendingTransfer | TransferFlags.Linked, 5), new Transfer(21, 1, 2, 7, 1)],
            [new Transfer(22, 0, 0, 0, 0, TransferFlags.PostPendingTransfer, 5)]);
        Assert.Equal([TransferResult.Ok], again.Results[1]);
        Assert.Equal(PendingState.Posted, Assert.Single(again.Resolved).PendingState);
        Assert.Equal(22u, (uint)Assert.Single(again.Inserted).Id);
    }

    [Fact]
    public void Requests_never_share_a_chain()
    {
        var outcome = Apply([Acc(1), Acc(2)], [],
            [new Transfer(30, 1, 2, 1, 1, TransferFlags.Linked)],
            [new Transfer(31, 1, 2, 1, 1)]);
        Assert.Equal([TransferResult.LinkedEventChainOpen], outcome.Results[0]);
        Assert.Equal([TransferResult.Ok], outcome.Results[1]);
        Assert.Equal(31u, (uint)Assert.Single(outcome.Inserted).Id);
    }

    [Fact]
    public void A_pending_transfer_created_and_posted_in_one_batch_is_inserted_once_with_its_final_state()
    {
        var outcome = Apply([Acc(1), Acc(2)], [],
            [new Transfer(40, 1, 2, 3, 1, TransferFlags.Pending, TimeoutSeconds: 30)],
            [new Transfer(41, 0, 0, 2, 0, TransferFlags.PostPendingTransfer, 40)]);
        Assert.Equal([TransferResult.Ok], outcome.Results[1]);
        Assert.Empty(outcome.Resolved);
        var pending = outcome.Inserted.Single(t => t.Id == 40);
        Assert.Equal((PendingState.Posted, Now.AddSeconds(30)), (pending.PendingState, pending.ExpiresAt));
        var debit = outcome.ChangedAccounts.Single(a => a.Id == 1);
        Assert.Equal((0L, 2L), (debit.DebitsPending, debit.DebitsPosted));
    }

    [Fact]
    public void The_read_set_names_every_row_a_store_must_load()
    {
        var read = LedgerStateMachine.ReadSetFor(
        [
            [new Transfer(1, 7, 8, 1, 1), new Transfer(2, 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, 9)],
            [new Transfer(3, 8, 10, 1, 1, PendingId: 11)], // a pending id on a single-phase transfer references nothing
        ]);
        Assert.Equal([9], read.PendingIds.Select(i => (int)i));
        Assert.Equal([1, 2, 3], read.TransferIds.Select(i => (int)i).Order());
        Assert.Equal([7, 8, 10], read.AccountIds.Select(i => (int)i).Order());
    }

    [Fact]
    public void Account_creation_rules_decide_replays_inside_a_batch()
    {
        var a = new NewAccount(5, OwnerKind.Issuer, 0, AccountCode.IssuerStock, AccountFlags.DebitsMustNotExceedCredits);
        var (results, inserts) = AccountRules.DecideBatch([a, a, a with { Code = 9 }], new Dictionary<UInt128, Account>(), Now);
        Assert.Equal([CreateAccountResult.Ok, CreateAccountResult.Exists, CreateAccountResult.AccountIdReused], results);
        Assert.Single(inserts);
        // A closed account is still the same account to a replay of its creation.
        Assert.Equal(CreateAccountResult.Exists, AccountRules.Decide(a, Account.Open(a, Now) with { Flags = a.Flags | AccountFlags.Closed }));
    }

    [Fact]
    public void Every_code_is_distinct_and_snake_case()
    {
        var codes = Enum.GetValues<TransferResult>().Select(r => r.Code()).Concat(Enum.GetValues<CreateAccountResult>().Select(r => "account:" + r.Code())).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^(account:)?[a-z]+(_[a-z]+)*$", c));
    }

    [Fact]
    public void Derived_ids_are_stable_per_domain_and_new_ids_are_time_ordered()
    {
        Assert.Equal(LedgerId.ExpiryVoidFor(42), LedgerId.ExpiryVoidFor(42));
        Assert.NotEqual(LedgerId.ExpiryVoidFor(42), LedgerId.ExpiryVoidFor(43));
        Assert.NotEqual(DerivedId.From("a", "x"), DerivedId.From("b", "x"));
        Assert.Equal(SystemAccounts.AccountIdFor(OwnerKind.User, 7, AccountCode.UserQuota), SystemAccounts.AccountIdFor(OwnerKind.User, 7, AccountCode.UserQuota));
        Assert.NotEqual(SystemAccounts.AccountIdFor(OwnerKind.User, 7, AccountCode.UserQuota), SystemAccounts.AccountIdFor(OwnerKind.Channel, 7, AccountCode.UserQuota));

        var early = LedgerId.New(new FixedClock(Now));
        var late = LedgerId.New(new FixedClock(Now.AddMilliseconds(1)));
        Assert.True(early < late);
        Assert.NotEqual(LedgerId.New(new FixedClock(Now)), LedgerId.New(new FixedClock(Now)));
    }

    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow => now;
    }
}
