using Meterai.Bench.Payments;
using Meterai.Core.Identity;
using Meterai.PaySim;
using Meterai.PaySim.Client;
using Meterai.PaySim.Faults;
using Meterai.Payments.Tests.Support;
using Meterai.Server.Payments;
using Meterai.Storage;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Chaos;

/// <summary>
/// The chaos test, small: 150 buyers (sales channels) order through the real server running as a child process
/// and pay at the sandbox, which duplicates 10 % of the notifications, reorders 10 %, drops 5 % and delays 5 % past the
/// order's expiry, while the server is SIGKILLed and restarted three times; then reconciliation runs. Every order the
/// sandbox settled must be credited exactly once, nothing credited without payment, "paid but not credited" zero, the
/// audit holding. The same scenario (<see cref="PaymentsChaos"/>) runs with 10,000 buyers as `meterai bench payments`.
/// </summary>
public abstract class PaymentsChaosContract(DatabaseBackend backend)
{
    [Fact]
    public async Task Every_settled_order_is_credited_exactly_once_through_crashes_and_a_misbehaving_provider()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("meterai-chaos-").FullName;
        var expiry = TimeSpan.FromSeconds(20);
        await using var sandbox = await PaySimServer.StartAsync(new PaySimOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = Path.Combine(folder, "paysim"),
            ServerKey = PaymentsHarness.ServerKey,
            Seed = 11,
            Faults = new FaultSettings
            {
                Duplicate = 0.10,
                Reorder = 0.10,
                ReorderHoldMax = TimeSpan.FromSeconds(5),
                Drop = 0.05,
                Delay = 0.05,
                DelayFor = expiry + TimeSpan.FromSeconds(2),
            },
            NotificationTimeout = TimeSpan.FromSeconds(5),
            RetryBase = TimeSpan.FromMilliseconds(100),
            RetryCap = TimeSpan.FromSeconds(1),
            DuplicateSpacing = TimeSpan.FromMilliseconds(20),
            OutboxPollInterval = TimeSpan.FromMilliseconds(100),
            ExpirySweepInterval = TimeSpan.FromMilliseconds(250),
        }, l => { }, ct);

        var options = await backend.OptionsAsync();
        var environment = new Dictionary<string, string>
        {
            ["METERAI_Database__Provider"] = options.Provider.Name(),
            ["METERAI_Database__DataDirectory"] = options.Provider == DatabaseProvider.Sqlite ? options.DataDirectory : Path.Combine(folder, "data"),
            ["METERAI_Logging__LogLevel__Default"] = "Warning",
            ["METERAI_Payments__Provider__BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["METERAI_Payments__Provider__ServerKey"] = PaymentsHarness.ServerKey,
            ["METERAI_Payments__Provider__Name"] = "paysim",
            ["METERAI_Payments__Provider__TimeoutSeconds"] = "5",
            ["METERAI_Payments__OrderExpirySeconds"] = expiry.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["METERAI_Payments__Reconciliation__IntervalSeconds"] = "0.5",
            ["METERAI_Payments__Reconciliation__PendingCheckAfterSeconds"] = "3",
            ["METERAI_Payments__Reconciliation__BackoffBaseSeconds"] = "1",
            ["METERAI_Payments__Reconciliation__BackoffCapSeconds"] = "3",
            ["METERAI_Payments__Reconciliation__ExpiryGraceSeconds"] = "2",
            ["METERAI_Payments__Reconciliation__ClaimLeaseSeconds"] = "5",
            ["METERAI_Payments__Reconciliation__SettlementIntervalSeconds"] = "5",
        };
        if (options.ConnectionString is { } cs) environment["METERAI_Database__ConnectionString"] = cs;

        await using var server = await ServerProcess.StartAsync(environment, Path.Combine(folder, "server"), ct: ct);
        try
        {
            using var sim = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var paysim = new PaySimClient(sim);
            await paysim.SetNotifyUrlAsync(new Uri(server.BaseAddress, NotificationEndpoint.Path), ct);
            await using var database = await MeteraiDatabase.OpenAsync(options with { Migrate = false }, ct);
            await Sales.MintStockAsync(database.Ledger, 10_000);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var admin = await ChannelBuyers.OperatorTokenAsync(database, http, OperatorRole.IssuerAdmin, ct);
            var buyers = await new ChannelBuyers(admin, Guid.NewGuid().ToString("N")[..8]).ProvisionAsync(http, 150, ct);

            var text = new StringWriter();
            var log = TextWriter.Synchronized(text);
            var chaos = new PaymentsChaos(new PaymentsChaosOptions(buyers.Count, Concurrency: 32, Kills: 3, KillEvery: TimeSpan.FromSeconds(3),
                OrderExpiry: expiry, ConvergeWithin: TimeSpan.FromSeconds(120), ArrivalWindow: TimeSpan.FromSeconds(15)), server.Node, paysim, database, log);
            var report = await chaos.RunAsync(buyers, ct);
            report.Print(log);
            TestContext.Current.TestOutputHelper?.WriteLine(text.ToString());

            Assert.True(report.Passed, text.ToString());
            Assert.Equal(3, report.Kills);
            // The kills landed while buyers were still arriving (orders placed and payments made after the first kill).
            Assert.True(report.OrdersAtFirstKill < buyers.Count, text.ToString());
            Assert.Equal(buyers.Count, report.OrdersPlaced);
            Assert.True(report.SettledByProvider > buyers.Count / 2, text.ToString());
            Assert.True(report.PaymentsRefused > 0, "some buyers paid after expiry and were refused: " + text);
            // The faults happened: duplicates and replays arrived and were recorded, lost notifications were made good.
            Assert.True(report.Notifications.GetValueOrDefault("dropped") > 0, text.ToString());
            Assert.True(report.Events.GetValueOrDefault("duplicate") > 0, text.ToString());
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine(server.Log.Length > 20_000 ? server.Log[^20_000..] : server.Log);
            throw;
        }
        finally
        {
            server.Kill();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

public sealed class PostgresPaymentsChaosTests(PostgresBackend backend) : PaymentsChaosContract(backend), IClassFixture<PostgresBackend>;

public sealed class SqlitePaymentsChaosTests(SqliteBackend backend) : PaymentsChaosContract(backend), IClassFixture<SqliteBackend>;
