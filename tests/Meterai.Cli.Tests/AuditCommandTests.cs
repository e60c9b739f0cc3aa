using Meterai.Cli.Commands;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.TestSupport;

namespace Meterai.Cli.Tests;

/// <summary>
/// `meterai audit` on a healthy database, on one broken on purpose with raw SQL, and on bad input. Each test has its
/// own fresh database (one of them breaks it).
/// </summary>
public abstract class AuditCommandContract : IAsyncDisposable
{
    private readonly DatabaseBackend _backend;

    protected AuditCommandContract(DatabaseBackend backend) => _backend = backend;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<string[]> DatabaseArgsAsync(DatabaseBackend backend);

    /// <summary>SQL that inserts a copy of one single-phase transfer under a new id: a transfer "applied twice" in the table only.</summary>
    protected abstract string DuplicateTransferSql { get; }

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    private async Task<string[]> SeedAsync()
    {
        var backend = _backend;
        await using var db = await backend.OpenAsync();
        var user = LedgerId.New();
        Assert.All(await db.Ledger.CreateAccountsAsync([new NewAccount(user, OwnerKind.User, 1, AccountCode.UserQuota, AccountFlags.DebitsMustNotExceedCredits)], Ct),
            r => Assert.True(r.IsCommitted()));
        var pending = LedgerId.New();
        var results = await db.Ledger.CreateTransfersAsync(
        [
            new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, user, 10, TransferCode.Mint),
            new Transfer(pending, user, SystemAccounts.Consumed.Id, 2, TransferCode.Stamp, TransferFlags.Pending),
            new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, pending),
        ], Ct);
        Assert.All(results, r => Assert.Equal(TransferResult.Ok, r));
        return ["audit", .. await DatabaseArgsAsync(backend)];
    }

    [Fact]
    public async Task A_healthy_database_passes_every_invariant_and_exits_0()
    {
        var args = await SeedAsync();
        var run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        foreach (var name in LedgerInvariant.All.Append(Core.Serials.SerialInvariant.BoundOnce)) Assert.Contains($"ok      {name}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("invariants hold", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupted_database_exits_1_and_names_what_broke()
    {
        var args = await SeedAsync();
        var backend = _backend;
        // Quota from nowhere: a holder's credits raised by hand.
        Assert.True(await backend.ExecuteRawAsync("UPDATE accounts SET credits_posted = credits_posted + 5 WHERE owner_kind = 4") > 0);
        var run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"BROKEN  {LedgerInvariant.DebitsEqualCredits}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"BROKEN  {LedgerInvariant.TransfersAppliedOnce}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"ok      {LedgerInvariant.PendingResolvedAtMostOnce}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("invariant(s) broken: debits_equal_credits, transfers_applied_once", run.Output, StringComparison.Ordinal);

        // Repair the balances, then apply a transfer twice in the table only.
        Assert.True(await backend.ExecuteRawAsync("UPDATE accounts SET credits_posted = credits_posted - 5 WHERE owner_kind = 4") > 0);
        Assert.Equal(0, (await CliRunner.RunAsync(AuditCommand.Create(), args)).ExitCode);
        Assert.Equal(1, await backend.ExecuteRawAsync(DuplicateTransferSql));
        run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"BROKEN  {LedgerInvariant.TransfersAppliedOnce}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"ok      {LedgerInvariant.DebitsEqualCredits}:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_refunded_without_the_providers_word_exits_1_naming_orders_agree_with_provider_and_the_order()
    {
        var args = await SeedAsync();
        var order = await SoldOrderAsync();
        var other = await SoldOrderAsync();
        var run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("ok      orders_agree_with_provider:", run.Output, StringComparison.Ordinal);

        // The rows a forged refund notification left: refunded, though the provider never said so and no stamp came back.
        var now = _backend.Provider == Storage.DatabaseProvider.Postgres ? "now()" : "1";
        Assert.Equal(2, await _backend.ExecuteRawAsync($"UPDATE orders SET state = 6, provider_status = 7, refunded_at = {now} WHERE id IN ('{order.Id}', '{other.Id}')"));
        run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("BROKEN  orders_agree_with_provider: 2 orders", run.Output, StringComparison.Ordinal);
        Assert.Contains("invariant(s) broken: orders_agree_with_provider", run.Output, StringComparison.Ordinal);
        // Each broken order is named, so an operator can recheck it; --list caps the list.
        Assert.Contains($"\n        {order.Id}\n", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"\n        {other.Id}\n", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var first = new[] { order.Id.Value, other.Id.Value }.Order(StringComparer.Ordinal).ToList();
        var capped = await CliRunner.RunAsync(AuditCommand.Create(), [.. args, "--list", "1"]);
        Assert.Equal(1, capped.ExitCode);
        Assert.Contains($"        {first[0]}", capped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(first[1], capped.Output, StringComparison.Ordinal);
        Assert.Contains("(the first 1 by id; --list N names more)", capped.Output, StringComparison.Ordinal);
    }

    /// <summary>An order paid, confirmed by the provider's status API and credited, as the server records one.</summary>
    private async Task<Order> SoldOrderAsync()
    {
        await using var db = await _backend.OpenAsync();
        var stock = QuotaAccounts.IssuerStock;
        Assert.All(await db.Ledger.CreateAccountsAsync([stock], Ct), r => Assert.True(r.IsCommitted()));
        Assert.Equal(TransferResult.Ok, (await db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, stock.Id, 5, TransferCode.Mint)], Ct))[0]);
        var buyer = Buyer.Applicant(LedgerId.New());
        Assert.All(await db.Ledger.CreateAccountsAsync([buyer.QuotaAccount()], Ct), r => Assert.True(r.IsCommitted()));
        var now = DateTimeOffset.UtcNow;
        var placed = await db.Orders.CreateAsync(new NewOrder(OrderId.New(), buyer, Core.Channels.Channel.DirectId, 2, UnitPrice.WithFee(Rupiah.Zero), PaymentMethod.Qris,
            null, null, stock.Id, now, now.AddMinutes(15), now.AddMinutes(3)), Ct);
        var order = placed.Value;
        foreach (var status in new[] { TransactionStatus.Pending, TransactionStatus.Settlement })
        {
            var applied = await db.Orders.ApplyAsync(new ProviderReport("paysim", order.Id, status, FraudStatus.Accept, order.Total, "tx-1", ReportSource.Reconciliation,
                Confirmed: true, status == TransactionStatus.Settlement ? now : null), Ct);
            Assert.Equal(ReportVerdict.Applied, applied.Verdict);
        }

        return order;
    }
}

public sealed class SqliteAuditCommandTests() : AuditCommandContract(new SqliteBackend())
{
    protected override Task<string[]> DatabaseArgsAsync(DatabaseBackend backend) =>
        Task.FromResult<string[]>(["--db", "sqlite", "--data-dir", Path.GetDirectoryName(((SqliteBackend)backend).DatabaseFile)!]);

    protected override string DuplicateTransferSql => """
        INSERT INTO transfers SELECT randomblob(16), debit_account_id, credit_account_id, amount, pending_id, timeout_seconds,
                                     code, flags, created_at, expires_at, pending_state
        FROM transfers WHERE flags = 0 LIMIT 1
        """;
}

public sealed class PostgresAuditCommandTests() : AuditCommandContract(new PostgresBackend())
{
    protected override async Task<string[]> DatabaseArgsAsync(DatabaseBackend backend) =>
        ["--db", "postgres", "--connection", (await backend.OptionsAsync()).ConnectionString!];

    protected override string DuplicateTransferSql => """
        INSERT INTO transfers SELECT gen_random_uuid(), debit_account_id, credit_account_id, amount, pending_id, timeout_seconds,
                                     code, flags, created_at, expires_at, pending_state
        FROM transfers WHERE flags = 0 LIMIT 1
        """;
}

public class AuditCommandInputTests
{
    [Theory]
    [InlineData("mysql", "unknown database 'mysql'")]
    [InlineData("postgres", "--db postgres needs --connection")]
    public async Task Bad_database_arguments_exit_2_with_a_message(string provider, string message)
    {
        var run = await CliRunner.RunAsync(AuditCommand.Create(), "audit", "--db", provider);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--provider-url", "http://127.0.0.1:1/", "needs the merchant's server key")]
    [InlineData("--provider-server-key", "k", "goes with --provider-url")]
    [InlineData("--provider-url", "ftp://gateway/", "is not an http(s) address")]
    [InlineData("--list", "-1", "--list is a number from 0 to 1000")]
    public async Task Bad_provider_arguments_exit_2_with_a_message(string option, string value, string message)
    {
        var run = await CliRunner.RunAsync(AuditCommand.Create(), "audit", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_sqlite_database_is_reported_not_created()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meterai-absent-" + Guid.NewGuid().ToString("N"));
        var run = await CliRunner.RunAsync(AuditCommand.Create(), "audit", "--data-dir", dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no SQLite database", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Bench_ledger_refuses_nonsense_sizes()
    {
        var run = await CliRunner.RunAsync(BenchLedgerCommand.Create(), "ledger", "--transfers", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--transfers", run.Error, StringComparison.Ordinal);
    }
}
