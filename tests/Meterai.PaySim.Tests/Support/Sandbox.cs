using Meterai.Core.Payments;
using Meterai.PaySim.Client;
using Meterai.PaySim.Faults;
using Meterai.Payments.Gateway;

namespace Meterai.PaySim.Tests.Support;

/// <summary>
/// A sandbox provider started in-process on a free loopback port, with the adapter and the /sim client pointed at it.
/// Test timings are short (retries from 50 ms, 1 s notification timeout) so the suite stays quick.
/// </summary>
public sealed class Sandbox : IAsyncDisposable
{
    public const string ServerKey = "test-server-key";

    private readonly HttpClient _http;
    private readonly bool _ownsFolder;

    private Sandbox(PaySimServer server, TempFolder? folder, TimeSpan adapterTimeout)
    {
        Server = server;
        Folder = folder;
        _ownsFolder = folder is not null;
        _http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client = new PaySimClient(_http);
        Provider = new GatewayPaymentProvider(new HttpClient(), new GatewayProviderOptions(server.BaseAddress, ServerKey) { Timeout = adapterTimeout });
    }

    public PaySimServer Server { get; }

    /// <summary>Another adapter on the same sandbox, e.g. with a short timeout.</summary>
    public GatewayPaymentProvider ProviderWith(TimeSpan timeout) =>
        new(new HttpClient(), new GatewayProviderOptions(Server.BaseAddress, ServerKey) { Timeout = timeout });

    public TempFolder? Folder { get; }

    public PaySimClient Client { get; }

    public GatewayPaymentProvider Provider { get; }

    public static PaySimOptions Options(string dataDirectory, Uri? notifyUrl = null, long seed = 42, FaultSettings? faults = null) => new()
    {
        Url = "http://127.0.0.1:0",
        DataDirectory = dataDirectory,
        ServerKey = ServerKey,
        NotifyUrl = notifyUrl?.ToString(),
        Seed = seed,
        Faults = faults ?? new FaultSettings(),
        NotificationTimeout = TimeSpan.FromSeconds(1),
        RetryBase = TimeSpan.FromMilliseconds(50),
        RetryCap = TimeSpan.FromMilliseconds(400),
        DuplicateSpacing = TimeSpan.FromMilliseconds(10),
        OutboxPollInterval = TimeSpan.FromMilliseconds(50),
        ExpirySweepInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Starts on a new temporary folder (removed on dispose) unless options name one.</summary>
    public static async Task<Sandbox> StartAsync(Func<string, PaySimOptions>? options = null, TimeSpan? adapterTimeout = null)
    {
        var folder = new TempFolder();
        var server = await PaySimServer.StartAsync((options ?? (d => Options(d)))(folder.Path), l => { }, TestContext.Current.CancellationToken);
        return new Sandbox(server, folder, adapterTimeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts on a given folder that outlives it (for restarts).</summary>
    public static async Task<Sandbox> StartOnAsync(PaySimOptions options)
    {
        var server = await PaySimServer.StartAsync(options, l => { }, TestContext.Current.CancellationToken);
        return new Sandbox(server, null, TimeSpan.FromSeconds(10));
    }

    public async Task<PaymentCharge> ChargeAsync(string orderId, PaymentMethod method = PaymentMethod.Qris, long amount = 10_000, TimeSpan? expiry = null)
    {
        var charge = await Provider.ChargeAsync(new ChargeRequest(orderId, new Rupiah(amount), method, expiry ?? TimeSpan.FromMinutes(15)), TestContext.Current.CancellationToken);
        Assert.True(charge.IsOk, charge.Error?.ToString());
        return charge.Value;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
        if (_ownsFolder) Folder!.Dispose();
    }
}
