using Meterai.Cli.Commands;
using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.PaySim;
using Meterai.PaySim.Client;
using Meterai.Payments.Gateway;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Cli.Tests;

/// <summary>
/// `meterai audit --provider-url`: every order whose state the provider may still change is asked about at the real
/// sandbox provider (in-process `meterai paysim`) and compared with the books, which the real order service wrote on
/// either backend. Orders the provider knows more about than we do (a payment whose news never came, a refund made at
/// the provider) are named; nothing is written; a recheck puts them right and the comparison passes again.
/// </summary>
public abstract class AuditProviderCommandContract : IAsyncDisposable
{
    private const string ServerKey = "audit-test-server-key";

    private readonly DatabaseBackend _backend;
    private readonly string _folder = Directory.CreateTempSubdirectory("meterai-audit-provider-").FullName;

    protected AuditProviderCommandContract(DatabaseBackend backend) => _backend = backend;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<string[]> DatabaseArgsAsync(DatabaseBackend backend);

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_orders_the_provider_disagrees_with_are_named_nothing_is_written_and_a_recheck_makes_it_pass()
    {
        await using var scene = await Scene.StartAsync(_backend, _folder);
        var fulfilled = await scene.SoldAsync();
        var open = await scene.PlaceAsync();
        // Paid at the provider, but its news never came (no notification, no reconciliation yet).
        var paidUnheard = await scene.PlaceAsync();
        Assert.True((await scene.Sim.PayAsync(paidUnheard.Id.Value, Ct)).IsOk);
        // Refunded in full at the provider's dashboard, which nothing here was told of.
        var refundedThere = await scene.SoldAsync();
        Assert.True((await scene.Provider.RefundAsync(new RefundRequest(refundedThere.Id.Value, refundedThere.Total, "dashboard-1", null), Ct)).IsOk);
        // Expired on both sides, confirmed: final, the provider cannot change it, so it is asked about only with --provider-all.
        var expired = await scene.PlaceAsync();
        Assert.True((await scene.Sim.ExpireAsync(expired.Id.Value, Ct)).IsOk);
        Assert.Equal(OrderState.Expired, (await scene.Service.RecheckAsync(expired.Id, ReportSource.Recheck, Ct)).Value.State);

        var args = await ArgsAsync(scene);
        var before = await SnapshotAsync();
        var run = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.True(run.ExitCode == 1, run.Output + run.Error);
        // The database alone cannot see it: every database invariant holds.
        Assert.Contains($"ok      {PaymentInvariant.OrdersAgreeWithProvider}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"BROKEN  {ProviderAudit.Invariant}: 2 of 4 orders disagree", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{paidUnheard.Id}: pending_payment here (provider status pending); the provider says settlement", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{refundedThere.Id}: fulfilled here (provider status settlement); the provider says refund", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"{fulfilled.Id}:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"{open.Id}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"invariant(s) broken: {ProviderAudit.Invariant}", run.Output, StringComparison.Ordinal);
        Assert.Contains("asking the provider", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());

        // Every order, the final ones too; and the list capped.
        var all = await CliRunner.RunAsync(AuditCommand.Create(), [.. args, "--provider-all", "--list", "1"]);
        Assert.Equal(1, all.ExitCode);
        Assert.Contains($"BROKEN  {ProviderAudit.Invariant}: 2 of 5 orders disagree", all.Output, StringComparison.Ordinal);
        var first = new[] { paidUnheard.Id.Value, refundedThere.Id.Value }.Order(StringComparer.Ordinal).ToList();
        Assert.Contains($"{first[0]}:", all.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"{first[1]}:", all.Output, StringComparison.Ordinal);
        Assert.Contains("(the first 1 of 2 by id)", all.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());

        // The operator's recheck of each named order asks the provider and applies its answer: the comparison passes.
        Assert.Equal(OrderState.Fulfilled, (await scene.Service.RecheckAsync(paidUnheard.Id, ReportSource.Recheck, Ct)).Value.State);
        Assert.Equal(OrderState.Refunded, (await scene.Service.RecheckAsync(refundedThere.Id, ReportSource.Recheck, Ct)).Value.State);
        var after = await CliRunner.RunAsync(AuditCommand.Create(), [.. args, "--provider-all"]);
        Assert.True(after.ExitCode == 0, after.Output + after.Error);
        Assert.Contains($"ok      {ProviderAudit.Invariant}: 5 orders asked, each agrees", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_or_refuses_the_key_leaves_the_comparison_incomplete_with_exit_2()
    {
        await using var scene = await Scene.StartAsync(_backend, _folder);
        var order = await scene.SoldAsync();
        var args = await ArgsAsync(scene);

        await scene.Sim.StartOutageAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
        var down = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.True(down.ExitCode == 2, down.Output + down.Error);
        Assert.Contains($"UNKNOWN {ProviderAudit.Invariant}: the provider did not answer about 1 of 1 orders", down.Output, StringComparison.Ordinal);
        Assert.Contains($"{order.Id}: provider_unavailable", down.Output, StringComparison.Ordinal);
        Assert.Contains("the comparison with the provider is incomplete", down.Output, StringComparison.Ordinal);
        await scene.Sim.EndOutageAsync(Ct);

        var wrongKey = Path.Combine(_folder, "wrong.key");
        await File.WriteAllTextAsync(wrongKey, "not-the-merchants-key\n", Ct);
        var refused = await CliRunner.RunAsync(AuditCommand.Create(), ["audit", .. await DatabaseArgsAsync(_backend), "--provider-url", scene.Sandbox.BaseAddress.ToString(), "--provider-server-key-file", wrongKey]);
        Assert.True(refused.ExitCode == 2, refused.Output + refused.Error);
        Assert.Contains($"UNKNOWN {ProviderAudit.Invariant}: stopped: provider_unauthorized", refused.Output, StringComparison.Ordinal);

        var healthy = await CliRunner.RunAsync(AuditCommand.Create(), args);
        Assert.True(healthy.ExitCode == 0, healthy.Output + healthy.Error);
    }

    private async Task<string[]> ArgsAsync(Scene scene)
    {
        var keyFile = Path.Combine(_folder, "server.key");
        await File.WriteAllTextAsync(keyFile, ServerKey + "\n", Ct);
        return ["audit", .. await DatabaseArgsAsync(_backend), "--provider-url", scene.Sandbox.BaseAddress.ToString(), "--provider-server-key-file", keyFile];
    }

    /// <summary>Everything an audit could write to: the orders as stored, and the row counts of the payments and ledger tables.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = await _backend.OpenAsync();
        var orders = await db.Orders.ListByStateAsync(null, 0, 1000, Ct);
        var counts = new List<long>();
        foreach (var table in new[] { "orders", "payment_inbox", "payment_events", "order_refunds", "transfers", "accounts" })
        {
            counts.Add(await _backend.ScalarAsync($"SELECT count(*) FROM {table}"));
        }

        return string.Join("\n", orders.Select(o => o.ToString())) + "\n" + string.Join(",", counts);
    }

    /// <summary>The sandbox provider, the database, and the order service that sells through them.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly HttpClient _simHttp;

        private Scene(PaySimServer sandbox, MeteraiDatabase db)
        {
            Sandbox = sandbox;
            Db = db;
            _simHttp = new HttpClient { BaseAddress = sandbox.BaseAddress };
            Sim = new PaySimClient(_simHttp);
            Provider = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(sandbox.BaseAddress, ServerKey));
            Service = new OrderService(db.Orders, db.Ledger, new PriceList(db.Channels, new Rupiah(1_500)), Provider, new PaymentSettings { ProviderName = "paysim" },
                SystemClock.Instance);
        }

        public PaySimServer Sandbox { get; }

        public MeteraiDatabase Db { get; }

        public PaySimClient Sim { get; }

        public GatewayPaymentProvider Provider { get; }

        public OrderService Service { get; }

        public static async Task<Scene> StartAsync(DatabaseBackend backend, string folder)
        {
            // No notify URL: the provider's notifications wait in its outbox, so only what the test applies reaches the books.
            var sandbox = await PaySimServer.StartAsync(new PaySimOptions { Url = "http://127.0.0.1:0", DataDirectory = Path.Combine(folder, "paysim"), ServerKey = ServerKey },
                _ => { }, Ct);
            var db = await backend.OpenAsync();
            var stock = QuotaAccounts.IssuerStock;
            Assert.All(await db.Ledger.CreateAccountsAsync([stock], Ct), r => Assert.True(r.IsCommitted()));
            Assert.Equal(TransferResult.Ok, (await db.Ledger.CreateTransfersAsync([new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, stock.Id, 100, TransferCode.Mint)], Ct))[0]);
            return new Scene(sandbox, db);
        }

        /// <summary>An order placed and charged at the provider (pending on both sides).</summary>
        public async Task<Order> PlaceAsync()
        {
            var placed = await Service.PlaceAsync(new OrderRequest(Buyer.Applicant(LedgerId.New()), Channel.DirectId, 2, PaymentMethod.Qris, null, Guid.NewGuid().ToString()), Ct);
            Assert.True(placed.IsOk, placed.Error?.ToString());
            Assert.Equal(OrderState.PendingPayment, placed.Value.Order.State);
            return placed.Value.Order;
        }

        /// <summary>An order paid at the provider and credited here after the status API confirmed it.</summary>
        public async Task<Order> SoldAsync()
        {
            var order = await PlaceAsync();
            Assert.True((await Sim.PayAsync(order.Id.Value, Ct)).IsOk);
            var sold = await Service.RecheckAsync(order.Id, ReportSource.Recheck, Ct);
            Assert.Equal(OrderState.Fulfilled, sold.Value.State);
            return sold.Value;
        }

        public async ValueTask DisposeAsync()
        {
            _simHttp.Dispose();
            await Db.DisposeAsync();
            await Sandbox.DisposeAsync();
        }
    }
}

public sealed class SqliteAuditProviderCommandTests() : AuditProviderCommandContract(new SqliteBackend())
{
    protected override Task<string[]> DatabaseArgsAsync(DatabaseBackend backend) =>
        Task.FromResult<string[]>(["--db", "sqlite", "--data-dir", Path.GetDirectoryName(((SqliteBackend)backend).DatabaseFile)!]);
}

public sealed class PostgresAuditProviderCommandTests() : AuditProviderCommandContract(new PostgresBackend())
{
    protected override async Task<string[]> DatabaseArgsAsync(DatabaseBackend backend) =>
        ["--db", "postgres", "--connection", (await backend.OptionsAsync()).ConnectionString!];
}
