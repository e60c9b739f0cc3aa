using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meterai.Core.Channels;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.PaySim;
using Meterai.PaySim.Client;
using Meterai.PaySim.Faults;
using Meterai.Server;
using Meterai.Server.Payments;
using Meterai.Storage;
using Meterai.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Meterai.Payments.Tests.Support;

/// <summary>
/// A sandbox provider (in-process, real Kestrel on loopback) and the real server (in-process, real Kestrel), wired to
/// each other: the server charges and asks the sandbox, the sandbox notifies the server's endpoint. Timings are short
/// so that retries, expiry and reconciliation happen in seconds.
/// </summary>
public sealed class PaymentsHarness : IAsyncDisposable
{
    public const string ServerKey = "harness-server-key";

    private readonly string _folder;
    private readonly HttpClient _simHttp;

    private PaymentsHarness(string folder, PaySimServer sandbox, WebApplication app)
    {
        _folder = folder;
        Sandbox = sandbox;
        App = app;
        _simHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Sim = new PaySimClient(_simHttp);
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public PaySimServer Sandbox { get; }

    public RecordingCodeSender Codes { get; private init; } = null!;

    public WebApplication App { get; }

    public PaySimClient Sim { get; }

    /// <summary>A client of the server.</summary>
    public HttpClient Http { get; }

    public MeteraiDatabase Database => App.Services.GetRequiredService<MeteraiDatabase>();

    public IOrderStore Orders => Database.Orders;

    public OrderService Service => App.Services.GetRequiredService<OrderService>();

    public PaymentReconciler Reconciler => App.Services.GetRequiredService<PaymentReconciler>();

    /// <param name="settings">Server configuration (Payments:*) on top of the harness's.</param>
    /// <param name="stock">Stamps minted into the issuer's stock to sell.</param>
    public static async Task<PaymentsHarness> StartAsync(FaultSettings? faults = null, IReadOnlyDictionary<string, string>? settings = null,
        DatabaseBackend? backend = null, long stock = 100_000)
    {
        var folder = Directory.CreateTempSubdirectory("meterai-payments-").FullName;
        var sandbox = await PaySimServer.StartAsync(new PaySimOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = Path.Combine(folder, "paysim"),
            ServerKey = ServerKey,
            Seed = 5,
            Faults = faults ?? new FaultSettings(),
            NotificationTimeout = TimeSpan.FromSeconds(5),
            RetryBase = TimeSpan.FromMilliseconds(50),
            RetryCap = TimeSpan.FromMilliseconds(500),
            DuplicateSpacing = TimeSpan.FromMilliseconds(10),
            OutboxPollInterval = TimeSpan.FromMilliseconds(50),
            ExpirySweepInterval = TimeSpan.FromMilliseconds(100),
        }, l => { }, TestContext.Current.CancellationToken);

        var config = new Dictionary<string, string>
        {
            ["Database:DataDirectory"] = Path.Combine(folder, "data"),
            ["Payments:Provider:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["Payments:Provider:ServerKey"] = ServerKey,
            ["Payments:Provider:Name"] = "paysim",
            ["Payments:DefaultServiceFee"] = "1500",
            ["Payments:Reconciliation:IntervalSeconds"] = "0.2",
            ["Payments:Reconciliation:PendingCheckAfterSeconds"] = "600",
            ["Payments:Reconciliation:BackoffBaseSeconds"] = "0.2",
            ["Payments:Reconciliation:BackoffCapSeconds"] = "1",
            ["Payments:Reconciliation:ExpiryGraceSeconds"] = "1",
            ["Payments:Reconciliation:SettlementIntervalSeconds"] = "3600",
        };
        if (backend is not null)
        {
            var options = await backend.OptionsAsync();
            config["Database:Provider"] = options.Provider.Name();
            if (options.ConnectionString is { } cs) config["Database:ConnectionString"] = cs;
            // The backend's own file, so a test can look at (or break) the rows the server wrote.
            if (options.Provider == DatabaseProvider.Sqlite) config["Database:DataDirectory"] = options.DataDirectory;
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) config[k] = v;
        config.TryAdd("Identity:PasswordIterations", "1000");
        config.TryAdd("Logging:LogLevel:Default", "Warning");
        config.TryAdd("Secrets:KeyEncryptionKey", TestSecrets.KeyEncryptionKey);
        config.TryAdd("Stamping:PublicBaseUrl", "https://meterai.test"); // Production refuses to start without it
        var codes = new RecordingCodeSender();
        var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", .. config.Select(kv => $"--{kv.Key}={kv.Value}")],
            services => services.AddSingleton<IOneTimeCodeSender>(codes));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var harness = new PaymentsHarness(folder, sandbox, app) { Codes = codes };
        await harness.Sim.SetNotifyUrlAsync(new Uri(new Uri(app.Urls.First()), NotificationEndpoint.Path), TestContext.Current.CancellationToken);
        if (stock > 0) await Sales.MintStockAsync(harness.Database.Ledger, stock);
        return harness;
    }

    /// <summary>Places an order through the service (as the HTTP layer would), asserting it was charged.</summary>
    public async Task<Order> PlaceAsync(int quantity = 1, Buyer? buyer = null, string? key = null)
    {
        var placed = await Service.PlaceAsync(new OrderRequest(buyer ?? Buyer.Applicant(LedgerId.New()), Channel.DirectId, quantity, PaymentMethod.Qris, null,
            key ?? Guid.NewGuid().ToString()), TestContext.Current.CancellationToken);
        Assert.True(placed.IsOk, placed.Error?.ToString());
        Assert.Equal(OrderState.PendingPayment, placed.Value.Order.State);
        return placed.Value.Order;
    }

    public async Task<Order> OrderAsync(OrderId id) => (await Orders.GetAsync(id, TestContext.Current.CancellationToken))!;

    /// <summary>Waits (bounded, so a broken build fails instead of hanging) until the order satisfies <paramref name="done"/>.</summary>
    public async Task<Order> UntilAsync(OrderId id, Func<Order, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var order = await OrderAsync(id);
            if (done(order)) return order;
            if (DateTime.UtcNow > deadline) Assert.Fail($"order {id} never became {what}; it is {order.State.ToWire()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits (bounded) until the sandbox has sent at least <paramref name="count"/> notifications of the order and the server took each (2xx).</summary>
    public async Task UntilDeliveredAsync(OrderId id, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var sent = await Sim.NotificationsAsync(id.Value, TestContext.Current.CancellationToken);
            if (sent.Count >= count && sent.All(n => n.State == "delivered")) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"the sandbox never delivered {count} notifications of order {id}: {string.Join(", ", sent.Select(n => n.State))}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A notification body signed with the server key (or <paramref name="signature"/>), as the provider sends it.</summary>
    public static string Notification(string orderId, TransactionStatus status, Rupiah amount, string? signature = null, string transactionId = "tx-test",
        string? notificationId = null)
    {
        var gross = amount.ToGatewayString();
        var body = new Dictionary<string, string>
        {
            ["notification_id"] = notificationId ?? Guid.NewGuid().ToString(),
            ["status_message"] = "test",
            ["status_code"] = status.StatusCode(),
            ["transaction_id"] = transactionId,
            ["order_id"] = orderId,
            ["merchant_id"] = "M-PAYSIM",
            ["payment_type"] = "qris",
            ["gross_amount"] = gross,
            ["currency"] = "IDR",
            ["transaction_status"] = status.ToWire(),
            ["fraud_status"] = "accept",
            ["transaction_time"] = GatewayTime.ToWire(DateTimeOffset.UtcNow),
            ["expiry_time"] = GatewayTime.ToWire(DateTimeOffset.UtcNow.AddMinutes(15)),
            ["signature_key"] = signature ?? NotificationSignature.Compute(orderId, status.StatusCode(), gross, ServerKey),
        };
        if (TransactionStatusRules.WasPaid(status, FraudStatus.Accept)) body["settlement_time"] = GatewayTime.ToWire(DateTimeOffset.UtcNow);
        return JsonSerializer.Serialize(body);
    }

    /// <summary>
    /// Pays the order at the sandbox as the buyer's bank would, and returns the sandbox's answer: the transaction as it is
    /// now, signed like a notification (what a buyer who paid holds, and what an attacker can replay).
    /// </summary>
    public async Task<JsonObject> PayAtSandboxAsync(OrderId id)
    {
        using var response = await _simHttp.PostAsync($"sim/pay/{id.Value}", null, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>POSTs a notification body to the server; returns the status code and the parsed answer.</summary>
    public async Task<(int Status, JsonElement Body)> NotifyAsync(string body)
    {
        using var response = await Http.PostAsync(NotificationEndpoint.Path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Registers an applicant over the API and completes the code step: (token, applicant id).</summary>
    public async Task<(string Token, string Id)> ApplicantAsync()
    {
        var contact = $"pembeli.{Guid.NewGuid():N}@contoh.id";
        var sent = await SendAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = "kata-sandi-panjang" });
        Assert.True(sent.Status is >= 200 and < 300, sent.Body.ToString());
        var token = await SendAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = sent.Body.GetProperty("challenge_id").GetString(), code = Codes.LastCodeFor(contact) });
        return (token.Body.GetProperty("access_token").GetString()!, token.Body.GetProperty("principal").GetProperty("id").GetString()!);
    }

    /// <summary>An operator with <paramref name="role"/>, created in the database as `meterai operator add` does, logged in over the API.</summary>
    public Task<string> OperatorAsync(string role) => Meterai.Bench.Payments.ChannelBuyers.OperatorTokenAsync(Database, Http, role, TestContext.Current.CancellationToken);

    /// <summary>Sends JSON (with a bearer token and an Idempotency-Key when given) and returns the status and the answer's JSON.</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<IReadOnlyList<StoredPaymentEvent>> EventsAsync(OrderId id) => await Orders.EventsAsync(id.Value, 100, TestContext.Current.CancellationToken);

    /// <summary>Waits (bounded) until the order's log holds an event with <paramref name="code"/>: the worker that moved
    /// the order records the event in its own write just after, so a test that saw the state may not see it yet.</summary>
    public async Task<StoredPaymentEvent> UntilEventAsync(OrderId id, string code)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var events = await EventsAsync(id);
            var found = events.FirstOrDefault(e => e.Event.Code == code);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) Assert.Fail($"order {id} never logged {code}: {string.Join(", ", events.Select(e => e.Event.Code))}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async Task<long> QuotaAsync(Order order) => await Sales.BalanceAsync(Database.Ledger, order.QuotaAccountId);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _simHttp.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
