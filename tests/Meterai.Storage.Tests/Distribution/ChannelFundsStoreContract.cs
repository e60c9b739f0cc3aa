using Meterai.Core.Channels;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Distribution;

/// <summary>What every <see cref="IChannelFundsStore"/> does, on SQLite and PostgreSQL.</summary>
public abstract class ChannelFundsStoreContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2024, 9, 2, 8, 0, 0, TimeSpan.Zero);

    private static async Task<UInt128> ChannelAsync(MeteraiDatabase db) =>
        (await db.Channels.CreateAsync(new Channel(LedgerId.New(), "dana-" + Guid.NewGuid().ToString("N")[..10], "Loket", 2_000, ChannelStatus.Active, T0), Ct)).Value.Id;

    private static ChannelAllocation Allocation(UInt128 channel, long stamps, long price = 12_000) =>
        new(LedgerId.New(), channel, stamps, price, stamps * price, AllocationState.Reserved, 7, T0, null);

    [Fact]
    public async Task Deposits_are_recorded_once_per_id()
    {
        await using var db = await backend.OpenAsync();
        var channel = await ChannelAsync(db);
        var deposit = new ChannelDeposit(LedgerId.New(), channel, 1_200_000, "TRF-001", 7, T0);
        Assert.Equal(deposit, (await db.ChannelFunds.RecordDepositAsync(deposit, Ct)).Value);
        Assert.True((await db.ChannelFunds.RecordDepositAsync(deposit with { RecordedAt = T0.AddHours(1) }, Ct)).IsOk);
        Assert.Equal(DistributionErrors.IdempotencyKeyReused, (await db.ChannelFunds.RecordDepositAsync(deposit with { Amount = 5 }, Ct)).Error?.Code);
        Assert.Single(await db.ChannelFunds.DepositsAsync(channel, Ct));
        Assert.Equal(new ChannelFundsBalance(1_200_000, 0), await db.ChannelFunds.BalanceAsync(channel, Ct));
    }

    [Fact]
    public async Task Allocations_never_exceed_the_deposits_even_when_two_nodes_allocate_at_once()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var channel = await ChannelAsync(a);
        await a.ChannelFunds.RecordDepositAsync(new ChannelDeposit(LedgerId.New(), channel, 10 * 12_000, "TRF-1", 7, T0), Ct);

        // Twenty requests of one stamp each; the deposit covers ten.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).ChannelFunds.ReserveAllocationAsync(Allocation(channel, 1), Ct)));
        Assert.Equal(10, results.Count(r => r.IsOk));
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(DistributionErrors.DepositInsufficient, r.Error!.Code));
        Assert.Equal(new ChannelFundsBalance(120_000, 120_000), await b.ChannelFunds.BalanceAsync(channel, Ct));

        // A failed allocation gives its money back; a posted one keeps it; settling twice changes nothing.
        var first = results.First(r => r.IsOk).Value;
        Assert.Equal(AllocationState.Failed, (await a.ChannelFunds.SettleAllocationAsync(first.Id, AllocationState.Failed, "issuer_stock_insufficient", Ct))!.State);
        Assert.Equal(AllocationState.Failed, (await a.ChannelFunds.SettleAllocationAsync(first.Id, AllocationState.Posted, null, Ct))!.State);
        Assert.Equal(108_000, (await a.ChannelFunds.BalanceAsync(channel, Ct)).Allocated);
        Assert.True((await a.ChannelFunds.ReserveAllocationAsync(Allocation(channel, 1), Ct)).IsOk);
    }

    [Fact]
    public async Task A_retried_allocation_answers_the_stored_one_and_stale_reservations_are_found()
    {
        await using var db = await backend.OpenAsync();
        var channel = await ChannelAsync(db);
        await db.ChannelFunds.RecordDepositAsync(new ChannelDeposit(LedgerId.New(), channel, 1_000_000, "TRF-2", 7, T0), Ct);
        var allocation = Allocation(channel, 5);
        Assert.True((await db.ChannelFunds.ReserveAllocationAsync(allocation, Ct)).IsOk);
        var again = await db.ChannelFunds.ReserveAllocationAsync(allocation with { PricePerStamp = 13_000, Amount = 65_000, RecordedAt = T0.AddHours(1) }, Ct);
        Assert.Equal((allocation.Amount, T0), (again.Value.Amount, again.Value.RecordedAt));
        Assert.Equal(DistributionErrors.IdempotencyKeyReused, (await db.ChannelFunds.ReserveAllocationAsync(allocation with { Stamps = 6, Amount = 72_000 }, Ct)).Error?.Code);
        Assert.Contains(await db.ChannelFunds.StaleReservedAsync(T0.AddMinutes(1), 100, Ct), x => x.Id == allocation.Id);
        await db.ChannelFunds.SettleAllocationAsync(allocation.Id, AllocationState.Posted, null, Ct);
        Assert.DoesNotContain(await db.ChannelFunds.StaleReservedAsync(T0.AddMinutes(1), 100, Ct), x => x.Id == allocation.Id);
        Assert.Single(await db.ChannelFunds.AllocationsAsync(channel, Ct));
    }
}

public sealed class SqliteChannelFundsStoreTests(SqliteBackend backend) : ChannelFundsStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresChannelFundsStoreTests(PostgresBackend backend) : ChannelFundsStoreContract(backend), IClassFixture<PostgresBackend>;
