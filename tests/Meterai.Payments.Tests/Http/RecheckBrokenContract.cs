using System.CommandLine;
using Meterai.Cli.Commands;
using Meterai.Core.Identity;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Tests.Support;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// The audit names the orders that break orders_agree_with_provider (rows an old intake moved on a notification's word),
/// and the operator rechecks them all at once: POST /api/v1/operator/payments/rechecks {"broken": true} on the real
/// server, or `meterai payments recheck --broken` against it. Each recheck asks the real sandbox and applies its answer
/// (the repair of <see cref="OrderRules.Rebase"/>); afterwards the invariant holds, and a second run finds nothing to do.
/// Both backends.
/// </summary>
public abstract class RecheckBrokenContract(DatabaseBackend backend)
{
    [Fact]
    public async Task Rechecking_the_broken_orders_through_the_operator_api_makes_the_audit_pass_again()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var broken = await BreakAsync(h, 3);
        var healthy = await SoldAsync(h);

        var audit = await h.Database.AuditAsync(Sales.Ct);
        var flagged = Assert.Single(audit.Broken);
        Assert.Equal(PaymentInvariant.OrdersAgreeWithProvider, flagged.Name);
        Assert.Equal(broken.Select(o => o.Id.Value).Order(StringComparer.Ordinal), flagged.FirstBroken);

        // Only an issuer admin may; a request must say what to recheck.
        var (auditorStatus, _) = await h.SendAsync(HttpMethod.Post, "/api/v1/operator/payments/rechecks", new { broken = true }, await h.OperatorAsync("auditor"));
        Assert.Equal(403, auditorStatus);
        var admin = await h.OperatorAsync("issuer_admin");
        var (badStatus, bad) = await h.SendAsync(HttpMethod.Post, "/api/v1/operator/payments/rechecks", new { }, admin);
        Assert.Equal((400, "recheck_selection_invalid"), (badStatus, bad.GetProperty("code").GetString()));

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/api/v1/operator/payments/rechecks", new { broken = true }, admin);
        Assert.True(status == 200, body.ToString());
        var rechecked = body.GetProperty("rechecked").EnumerateArray().ToList();
        Assert.Equal(broken.Select(o => o.Id.Value).Order(StringComparer.Ordinal), rechecked.Select(r => r.GetProperty("order_id").GetString()));
        Assert.All(rechecked, r => Assert.Equal(("refunded", "fulfilled"), (r.GetProperty("before").GetString(), r.GetProperty("after").GetString())));
        Assert.Empty(body.GetProperty("still_broken").EnumerateArray());
        await Sales.AssertAuditHoldsAsync(h.Database);
        foreach (var order in broken)
        {
            var repaired = await h.OrderAsync(order.Id);
            Assert.Equal((OrderState.Fulfilled, TransactionStatus.Settlement), (repaired.State, repaired.ProviderStatus));
            Assert.Equal(2, await h.QuotaAsync(repaired));
        }

        // Idempotent: nothing is flagged, nothing is rechecked; named orders are rechecked (an unknown one is said so).
        var (againStatus, again) = await h.SendAsync(HttpMethod.Post, "/api/v1/operator/payments/rechecks", new { broken = true }, admin);
        Assert.Equal((200, 0), (againStatus, again.GetProperty("rechecked").GetArrayLength()));
        var (namedStatus, named) = await h.SendAsync(HttpMethod.Post, "/api/v1/operator/payments/rechecks", new { order_ids = new[] { healthy.Id.Value, "MTR-NOPE" } }, admin);
        Assert.Equal(200, namedStatus);
        var items = named.GetProperty("rechecked").EnumerateArray().ToList();
        Assert.Equal(("fulfilled", "fulfilled"), (items[0].GetProperty("before").GetString(), items[0].GetProperty("after").GetString()));
        Assert.Equal(OrderErrors.OrderNotFound, items[1].GetProperty("code").GetString());
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task Meterai_payments_recheck_broken_repairs_every_flagged_order_pass_after_pass()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var broken = await BreakAsync(h, 5);
        Assert.Contains((await h.Database.AuditAsync(Sales.Ct)).Broken, b => b.Name == PaymentInvariant.OrdersAgreeWithProvider);
        var (email, password) = await OperatorAsync(h.Database, "issuer_admin");
        string[] login = ["--url", h.Http.BaseAddress!.ToString(), "--operator-email", email, "--operator-password", password];

        // Two orders a pass: three passes.
        var run = await RunAsync(["payments", "recheck", .. login, "--broken", "--limit", "2"]);
        Assert.True(run.Exit == 0, run.Output + run.Error);
        foreach (var order in broken) Assert.Contains($"{order.Id}  refunded → fulfilled", run.Output, StringComparison.Ordinal);
        Assert.Contains("5 rechecks; no order is flagged any more", run.Output, StringComparison.Ordinal);
        await Sales.AssertAuditHoldsAsync(h.Database);

        var again = await RunAsync(["payments", "recheck", .. login, "--broken"]);
        Assert.Equal(0, again.Exit);
        Assert.Contains("nothing to recheck", again.Output, StringComparison.Ordinal);
        var named = await RunAsync(["payments", "recheck", .. login, "--order", broken[0].Id.Value]);
        Assert.Equal(0, named.Exit);
        Assert.Contains($"{broken[0].Id}  fulfilled → fulfilled", named.Output, StringComparison.Ordinal);

        var refused = await RunAsync(["payments", "recheck", "--url", h.Http.BaseAddress!.ToString(), "--operator-email", email, "--operator-password", "wrong", "--broken"]);
        Assert.Equal(2, refused.Exit);
        Assert.Equal(2, (await RunAsync(["payments", "recheck", .. login])).Exit);
    }

    /// <summary>Orders sold and credited, then left as the old intake left a forged refund: refunded, unconfirmed, no stamp taken back.</summary>
    private async Task<List<Order>> BreakAsync(PaymentsHarness h, int count)
    {
        var orders = new List<Order>();
        for (var i = 0; i < count; i++) orders.Add(await SoldAsync(h));
        var now = backend.Provider == DatabaseProvider.Postgres ? "now()" : "1";
        var ids = string.Join(", ", orders.Select(o => $"'{o.Id}'"));
        Assert.Equal(count, await backend.ExecuteRawAsync($"UPDATE orders SET state = 6, provider_status = 7, refunded_at = {now} WHERE id IN ({ids})"));
        return orders;
    }

    private static async Task<Order> SoldAsync(PaymentsHarness h)
    {
        var order = await h.PlaceAsync(2);
        Assert.True((await h.Sim.PayAsync(order.Id.Value, Sales.Ct)).IsOk);
        return await h.UntilAsync(order.Id, o => o.State == OrderState.Fulfilled, "fulfilled");
    }

    /// <summary>An operator created as `meterai operator add` does, with a password the test knows.</summary>
    private static async Task<(string Email, string Password)> OperatorAsync(MeteraiDatabase db, string role)
    {
        var email = $"recheck.{Guid.NewGuid():N}@meterai.id";
        var password = "kata-sandi-operator-" + Guid.NewGuid().ToString("N")[..8];
        var access = new OperatorAccess(db.Operators, db.LoginThrottle, new PasswordHasher(1_000), new IdentitySettings(), Meterai.Core.Common.SystemClock.Instance);
        Assert.True((await access.CreateAsync(email, [role], password, Sales.Ct)).IsOk);
        return (email, password);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        var root = new RootCommand { PaymentsCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Sales.Ct);
        return (exit, output.ToString(), error.ToString());
    }
}

public sealed class SqliteRecheckBrokenTests(SqliteBackend backend) : RecheckBrokenContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresRecheckBrokenTests(PostgresBackend backend) : RecheckBrokenContract(backend), IClassFixture<PostgresBackend>;
