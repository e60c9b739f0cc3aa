using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Orders;
using Meterai.PaySim.Faults;
using Meterai.Payments.Tests.Support;
using Meterai.Server.Payments;
using Meterai.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Meterai.Payments.Tests.Service;

/// <summary>
/// Workers on several nodes: two reconciliation workers (two database instances on one PostgreSQL database, like two
/// servers) run their passes at the same moment over the same lost payments; each order is credited once.
/// </summary>
public sealed class MultiNodeTests(PostgresBackend backend) : IClassFixture<PostgresBackend>
{
    [Fact]
    public async Task Two_nodes_reconciling_the_same_lost_payments_at_once_credit_each_exactly_once_on_postgres()
    {
        // Notifications all lost; this node's own worker off, so only the two passes below credit.
        await using var h = await PaymentsHarness.StartAsync(new FaultSettings { Drop = 1.0 }, new Dictionary<string, string>
        {
            ["Payments:Reconciliation:Enabled"] = "false",
            ["Payments:Reconciliation:PendingCheckAfterSeconds"] = "0.1",
        }, backend);
        var orders = new List<Order>();
        for (var i = 0; i < 20; i++) orders.Add(await h.PlaceAsync(1 + i % 3));
        foreach (var o in orders) Assert.True((await h.Sim.PayAsync(o.Id.Value, Sales.Ct)).IsOk);
        await Task.Delay(200, Sales.Ct);

        await using var second = await backend.OpenAsync();
        var settings = h.App.Services.GetRequiredService<PaymentSettings>();
        var provider = h.App.Services.GetRequiredService<Meterai.Core.Payments.IPaymentProvider>();
        var secondService = new OrderService(second.Orders, second.Ledger, new PriceList(second.Channels, settings.DefaultServiceFee), provider, settings, SystemClock.Instance);
        var nodes = new[]
        {
            h.Reconciler,
            new PaymentReconciler(second.Orders, secondService, provider, settings with { ClaimBatch = 3 }, SystemClock.Instance, "node-b"),
        };

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Task.WhenAll(orders.Select(o => h.OrderAsync(o.Id)))).Any(o => o.State != OrderState.Fulfilled))
        {
            Assert.True(DateTime.UtcNow < deadline, "the two workers never credited every lost payment");
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.RunOnceAsync(Sales.Ct))));
        }

        foreach (var o in orders)
        {
            Assert.Equal(o.Quantity, await h.QuotaAsync(o));
            var inbox = await h.Orders.InboxAsync(o.Id, Sales.Ct);
            Assert.Single(inbox, e => e.Status == Meterai.Core.Payments.TransactionStatus.Settlement);
        }

        Assert.Equal(0, (await h.Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Sales.Ct)).PaidNotCredited);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }

    [Fact]
    public async Task Without_any_payments_set_up_the_server_starts_and_its_health_page_says_where_payments_go()
    {
        var folder = Directory.CreateTempSubdirectory("meterai-nosetup-").FullName;
        try
        {
            await using var app = Meterai.Server.ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, $"--Database:DataDirectory={folder}", "--Logging:LogLevel:Default=Warning"]);
            await app.StartAsync(Sales.Ct);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var db = app.Services.GetRequiredService<Meterai.Storage.MeteraiDatabase>();
            var token = await Meterai.Bench.Payments.ChannelBuyers.OperatorTokenAsync(db, http, OperatorRole.Auditor, Sales.Ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/operator/payments/health");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, Sales.Ct);
            var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Sales.Ct)).RootElement;
            Assert.Equal(200, (int)response.StatusCode);
            var providerInfo = body.GetProperty("provider");
            Assert.True(providerInfo.GetProperty("sandbox_defaults").GetBoolean());
            Assert.Equal(PaymentsConfiguration.LocalSandbox.ToString(), providerInfo.GetProperty("base_url").GetString());
            Assert.Contains("meterai paysim", providerInfo.GetProperty("note").GetString());
            Assert.Equal(0, body.GetProperty("paid_but_not_credited").GetInt64());
            await app.StopAsync(Sales.Ct);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
